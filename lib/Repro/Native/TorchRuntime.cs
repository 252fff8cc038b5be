using System.Runtime.InteropServices;
using TorchSharp;

namespace Repro.Native;

/// <summary>
/// Everything needed before the first tensor: the libstdc++ compatibility patch for copies of
/// libLibTorchSharp.so the build did not patch (a NuGet package folder, TorchSharp's own fallback copy),
/// and a one-line description of the backend for environment checks.
/// </summary>
public static class TorchRuntime
{
    static readonly object Gate = new();
    static bool _ready;

    /// <summary>
    /// False when REPRO_ONEDNN=off turned libtorch's oneDNN (mkldnn) backend off, so convolutions run on ATen's own
    /// im2col + GEMM kernels (about 3x slower here). By default oneDNN stays on at the CPU's own instruction set and
    /// <see cref="ConvolutionGuard"/> routes around its faulty backward kernels (environment.md).
    /// </summary>
    public static bool OneDnnEnabled { get; private set; } = true;

    static void ApplyOneDnnSetting()
    {
        if (Environment.GetEnvironmentVariable("REPRO_ONEDNN") is not "off") return;
        // at::globalContext().setUserEnabledMkldnn(false): what torch.backends.mkldnn.enabled = False does; TorchSharp
        // does not expose it.
        SetUserEnabledMkldnn(GlobalContext(), false);
        // Without oneDNN, ATen tries NNPACK next, which these CPUs lack (it warns on every process); im2col + GEMM is left.
        SetUserEnabledNnpack(GlobalContext(), false);
        OneDnnEnabled = UserEnabledMkldnn(GlobalContext());
    }

    /// <summary>
    /// Convolutions on ATen's own im2col + GEMM kernels until disposed (oneDNN restored then). Parity replays use it: the
    /// fixtures' tolerances hold on those kernels, while oneDNN at this CPU's ISA moves PMR's prototypes by 7e-5 after
    /// three epochs (tolerance 2e-5 + 1e-4 relative). Not thread-safe: the flag is process-wide.
    /// </summary>
    public static IDisposable OneDnnOff()
    {
        EnsureReady();
        bool was = UserEnabledMkldnn(GlobalContext());
        SetUserEnabledMkldnn(GlobalContext(), false);
        SetUserEnabledNnpack(GlobalContext(), false);
        return new Restore(() => SetUserEnabledMkldnn(GlobalContext(), was));
    }

    /// <summary>Runs <paramref name="undo"/> when disposed: the settings this folder changes for a scope.</summary>
    internal sealed class Restore(Action undo) : IDisposable
    {
        public void Dispose() => undo();
    }

    [DllImport("libtorch_cpu", EntryPoint = "_ZN2at13globalContextEv")]
    static extern IntPtr GlobalContext();

    [DllImport("libtorch_cpu", EntryPoint = "_ZN2at7Context20setUserEnabledMkldnnEb")]
    static extern void SetUserEnabledMkldnn(IntPtr context, [MarshalAs(UnmanagedType.I1)] bool enabled);

    [DllImport("libtorch_cpu", EntryPoint = "_ZN2at7Context20setUserEnabledNNPACKEb")]
    static extern void SetUserEnabledNnpack(IntPtr context, [MarshalAs(UnmanagedType.I1)] bool enabled);

    [DllImport("libtorch_cpu", EntryPoint = "_ZNK2at7Context17userEnabledMkldnnEv")]
    [return: MarshalAs(UnmanagedType.I1)]
    static extern bool UserEnabledMkldnn(IntPtr context);

    /// <summary>Patches reachable copies of the native library if the system needs it, then initialises TorchSharp.</summary>
    public static void EnsureReady()
    {
        lock (Gate)
        {
            if (_ready) return;
            foreach (var so in CandidateNativeLibraries())
                PatchIfNeeded(so);
            torch.InitializeDeviceType(DeviceType.CPU);
            ApplyOneDnnSetting();
            _ready = true;
        }
    }

    /// <summary>Patches one file if the system libstdc++ lacks the version it needs; returns true if the file was changed.</summary>
    public static bool PatchIfNeeded(string path)
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux) || GlibcxxCompat.SystemProvides()) return false;
        try
        {
            return GlibcxxCompat.MarkVersionNeedWeak(path) > 0;
        }
        catch (UnauthorizedAccessException e)
        {
            throw new InvalidOperationException(
                $"{path} needs {GlibcxxCompat.RequiredVersion}, which this system's libstdc++ lacks, and the file is not writable. " +
                "Run `dotnet build` on the kit (which patches its own copies) or make the file writable.", e);
        }
    }

    /// <summary>
    /// Copies of libLibTorchSharp.so the build did not patch: those of the NuGet package folder, when TorchSharp.dll
    /// itself was loaded from there (a notebook kernel resolving `#r "nuget: TorchSharp-cpu"`). A program built by the
    /// kit loads the copies in its own output folder, which the build patched; a failure there is a build failure and
    /// is left to surface.
    /// </summary>
    public static IEnumerable<string> CandidateNativeLibraries()
    {
        var asmDir = Path.GetDirectoryName(typeof(torch).Assembly.Location);
        if (string.IsNullOrEmpty(asmDir) || SamePath(asmDir, AppContext.BaseDirectory)) yield break;
        var roots = new List<string> { asmDir };
        // <packages>/torchsharp/<version>/lib/net8.0/TorchSharp.dll -> <packages>/torchsharp/<version>/runtimes
        var runtimes = Path.GetFullPath(Path.Combine(asmDir, "..", "..", "runtimes"));
        if (Directory.Exists(runtimes)) roots.Add(runtimes);
        var seen = new HashSet<string>();
        foreach (var root in roots)
            foreach (var so in SafeEnumerate(root, "libLibTorchSharp.so"))
                if (seen.Add(Path.GetFullPath(so))) yield return so;
    }

    /// <summary>Copies in the running program's own folder (patched by the build).</summary>
    public static IEnumerable<string> BuiltNativeLibraries() => SafeEnumerate(AppContext.BaseDirectory, "libLibTorchSharp.so");

    static bool SamePath(string a, string b) =>
        string.Equals(Path.GetFullPath(a).TrimEnd('/'), Path.GetFullPath(b).TrimEnd('/'), StringComparison.Ordinal);

    static IEnumerable<string> SafeEnumerate(string root, string name)
    {
        try { return Directory.EnumerateFiles(root, name, SearchOption.AllDirectories).ToList(); }
        catch (IOException) { return []; }
        catch (UnauthorizedAccessException) { return []; }
    }

    /// <summary>A short description: TorchSharp version, backend, threads, CUDA availability.</summary>
    public static string Describe()
    {
        EnsureReady();
        var v = typeof(torch).Assembly.GetName().Version;
        return $"TorchSharp {v} ({torch.__version__}), backend {(torch.cuda.is_available() ? "CUDA" : "CPU")}, " +
               $"{torch.get_num_threads()} threads, libstdc++ {(GlibcxxCompat.SystemProvides() ? "provides" : "lacks (patched copies)")} {GlibcxxCompat.RequiredVersion}" +
               (!OneDnnEnabled ? ", oneDNN off (REPRO_ONEDNN=off)"
                : ConvolutionGuard.Enabled ? ", oneDNN on, input gradients of partial-block convolutions from forward kernels"
                : ", oneDNN on, convolution guard off (REPRO_CONV_GUARD=off: results may vary)");
    }
}
