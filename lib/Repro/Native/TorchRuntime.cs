using System.Runtime.CompilerServices;
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
    /// The oneDNN instruction-set cap the kit applies before libtorch starts, or null when none is applied.
    /// On the AVX-512 CPUs of this project's machines, libtorch 2.10's oneDNN convolution backward (weights) races
    /// with more than one thread: repeated identical backward passes disagree and some produce NaN (measured: 84 of
    /// 100 differ, 32 NaN, with 2 threads; 0 with one thread or with the AVX2 kernels). Capping oneDNN at AVX2 fixes
    /// it and keeps both cores. A user's own ONEDNN_MAX_CPU_ISA is respected; REPRO_ONEDNN_ISA=native disables the cap.
    /// </summary>
    public static string? OneDnnIsaCap { get; private set; }

#pragma warning disable CA2255 // must run before any TorchSharp call in any host (CLI, tests, notebooks), so a library initialiser
    [ModuleInitializer]
    internal static void ApplyOneDnnWorkaround()
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux) || RuntimeInformation.ProcessArchitecture != Architecture.X64) return;
        if (Environment.GetEnvironmentVariable("ONEDNN_MAX_CPU_ISA") is not null || Environment.GetEnvironmentVariable("DNNL_MAX_CPU_ISA") is not null) return;
        if (Environment.GetEnvironmentVariable("REPRO_ONEDNN_ISA") is "native") return;
        if (!System.Runtime.Intrinsics.X86.Avx512F.IsSupported) return;
        // .NET's Environment.SetEnvironmentVariable does not reach native getenv on Unix: set it in libc.
        if (setenv("ONEDNN_MAX_CPU_ISA", "AVX2", 0) == 0) OneDnnIsaCap = "AVX2";
    }
#pragma warning restore CA2255

    [DllImport("libc", SetLastError = true)]
    static extern int setenv(string name, string value, int overwrite);

    /// <summary>
    /// False when the kit turned libtorch's oneDNN (mkldnn) backend off, so convolutions run on ATen's own kernels.
    /// The AVX2 cap above made oneDNN's multi-threaded convolution backward rarer to race, not impossible: a 2-layer conv
    /// backward repeated 200 times gave 74 non-finite and 112 differing weight gradients with oneDNN at the CPU's own ISA,
    /// 0 and 0 with oneDNN off (and ran 4x faster at these sizes); with the cap, about 1 fresh process in 16 still failed
    /// in its first steps. REPRO_ONEDNN=on keeps oneDNN.
    /// </summary>
    public static bool OneDnnEnabled { get; private set; } = true;

    static void DisableOneDnnConvolutions()
    {
        if (Environment.GetEnvironmentVariable("REPRO_ONEDNN") is "on") return;
        // at::globalContext().setUserEnabledMkldnn(false): what torch.backends.mkldnn.enabled = False does; TorchSharp
        // does not expose it.
        SetUserEnabledMkldnn(GlobalContext(), false);
        // Without oneDNN, ATen tries NNPACK next, which these CPUs lack (it warns on every process); im2col + GEMM is left.
        SetUserEnabledNnpack(GlobalContext(), false);
        OneDnnEnabled = UserEnabledMkldnn(GlobalContext());
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
            DisableOneDnnConvolutions();
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
               (OneDnnIsaCap is null ? "" : $", oneDNN capped at {OneDnnIsaCap}") + (OneDnnEnabled ? "" : ", oneDNN off (see environment.md)");
    }
}
