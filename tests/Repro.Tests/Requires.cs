namespace Repro.Tests;

/// <summary>
/// What a conditional test needs from the machine. A test that cannot run reports Skipped with the reason (use it in a
/// [SkippableFact] or [SkippableTheory]); a tool the kit installs itself (ffmpeg, Chromium: the test project's build
/// installs them on Debian as root) is never skipped under CI=true: its absence fails the test there.
/// </summary>
public static class Requires
{
    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Skips with <paramref name="reason"/> when <paramref name="present"/> is false; fails instead under CI=true.</summary>
    public static void InstallableTool(bool present, string reason)
    {
        if (present) return;
        if (InCi) Assert.Fail($"CI=true and {reason}: the test project's build installs it on Debian as root, so CI must run this test, not skip it.");
        Skip.If(true, reason);
    }

    /// <summary>ffmpeg (installed first where the kit can), or a skip naming what to install.</summary>
    public static string Ffmpeg(Action<string>? log = null)
    {
        string? path = null, reason = null;
        try { path = Repro.Data.Prepare.Ffmpeg.Ensure(log); }
        catch (InvalidOperationException e) { reason = e.Message; }
        InstallableTool(path is not null, $"needs ffmpeg: {reason}");
        return path!;
    }

    /// <summary>A file named by an environment variable (data no CI has, e.g. a published label file), or a skip saying which variable to set.</summary>
    public static string FileFromEnvironment(string variable, string what)
    {
        var path = Environment.GetEnvironmentVariable(variable);
        Skip.If(string.IsNullOrEmpty(path), $"set {variable} to {what} to run this check");
        Skip.IfNot(File.Exists(path), $"{variable}={path} does not exist (expected {what})");
        return path!;
    }
}
