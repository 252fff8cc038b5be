using System.Diagnostics;

namespace Repro.Data.Prepare;

/// <summary>
/// ffmpeg for `repro data prepare` (1-fps frames, audio tracks). <see cref="Ensure"/> finds it on PATH; when absent it
/// installs Debian's package with apt-get where the kit runs as root on Debian (docs/decisions.md#installing), and otherwise stops
/// with a message naming the package to install.
/// </summary>
public static class Ffmpeg
{
    public const string Package = "ffmpeg";

    public static string? Find()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var p = Path.Combine(dir, "ffmpeg");
            if (File.Exists(p)) return p;
        }
        return null;
    }

    static bool IsRoot => Environment.UserName == "root";
    static bool IsDebian => File.Exists("/etc/debian_version");

    /// <summary>The ffmpeg executable, installed first when possible; <paramref name="log"/> hears what is done.</summary>
    public static string Ensure(Action<string>? log = null)
    {
        if (Find() is { } found) return found;
        if (!IsRoot || !IsDebian)
            throw new InvalidOperationException($"ffmpeg not found on PATH; install the '{Package}' package (Debian/Ubuntu: apt-get install {Package}; other systems: their ffmpeg package) and run again.");
        log?.Invoke($"ffmpeg not found: installing Debian's '{Package}' package with apt-get (running as root)...");
        Run("apt-get", "update -qq", null);
        Run("apt-get", $"install -y -qq {Package}", new() { ["DEBIAN_FRONTEND"] = "noninteractive" });
        return Find() ?? throw new InvalidOperationException($"apt-get install {Package} finished but ffmpeg is still not on PATH.");
    }

    /// <summary>Runs ffmpeg quietly; a failure names the input and shows ffmpeg's last lines.</summary>
    public static void Exec(string ffmpeg, IEnumerable<string> args, string input)
    {
        var psi = new ProcessStartInfo(ffmpeg) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "-nostdin", "-hide_banner", "-loglevel", "error", "-y" }.Concat(args)) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start ffmpeg");
        var errTask = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        var err = errTask.Result;
        if (p.ExitCode != 0)
            throw new InvalidDataException($"{input}: ffmpeg failed (exit {p.ExitCode}): {string.Join(" | ", err.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(3))}");
    }

    static void Run(string exe, string args, Dictionary<string, string>? env)
    {
        var psi = new ProcessStartInfo(exe, args) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (env is not null) foreach (var (k, v) in env) psi.Environment[k] = v;
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {exe}");
        var err = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{exe} {args} failed (exit {p.ExitCode}): {err.Result.Trim()}; install '{Package}' by hand.");
    }

    /// <summary>
    /// The first frame of each second (OGM-GE video_preprocessing.py keeps frame k when k % round(fps) == 0; here: the
    /// first frame, then each first frame at least 1 s after the previous kept one, the same frames at constant rate) as
    /// 00000.jpg, 00001.jpg, ... in <paramref name="outDir"/>, written into a temporary folder and moved into place, so
    /// an existing folder means a finished clip (resumable).
    /// </summary>
    public static void ExtractFrames(string ffmpeg, string video, string outDir, int quality = 2)
    {
        var tmp = outDir + ".tmp";
        if (Directory.Exists(tmp)) Directory.Delete(tmp, true);
        Directory.CreateDirectory(tmp);
        // the first frame, then the first frame at least one second after the last one kept
        Exec(ffmpeg, ["-i", video, "-vf", "select='isnan(prev_selected_t)+gte(t-prev_selected_t,1)'", "-fps_mode", "vfr",
            "-q:v", quality.ToString(), "-start_number", "0", Path.Combine(tmp, "%05d.jpg")], video);
        if (!Directory.EnumerateFiles(tmp, "*.jpg").Any()) throw new InvalidDataException($"{video}: ffmpeg wrote no frames (no video stream?).");
        if (Directory.Exists(outDir)) Directory.Delete(outDir, true);
        Directory.Move(tmp, outDir);
    }

    /// <summary>The audio track as 16-bit mono WAV at <paramref name="sampleRate"/> Hz, written atomically.</summary>
    public static void ExtractAudio(string ffmpeg, string video, string wav, int sampleRate = 16000)
    {
        var tmp = wav + ".tmp.wav";
        Exec(ffmpeg, ["-i", video, "-vn", "-ac", "1", "-ar", sampleRate.ToString(), "-acodec", "pcm_s16le", tmp], video);
        File.Move(tmp, wav, true);
    }
}
