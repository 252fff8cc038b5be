using System.Diagnostics;

namespace Repro.Tests;

/// <summary>Locations of the repository and its test fixtures, found from the test binary.</summary>
public static class TestPaths
{
    public static string RepoRoot { get; } = FindRoot();
    public static string Fixtures => Path.Combine(RepoRoot, "tests", "fixtures");
    public static string Parity => Path.Combine(Fixtures, "parity");
    public static string Frontend => Path.Combine(Fixtures, "frontend");

    /// <summary>This test run's scratch folder, <c>$TMP/repro-tests/&lt;pid&gt;</c>, deleted when the run exits.</summary>
    static readonly Lazy<string> RunRoot = new(CreateRunRoot);

    /// <summary>A fresh empty folder inside this run's scratch folder.</summary>
    public static string TempDir(string prefix = "repro-test")
    {
        var d = Path.Combine(RunRoot.Value, $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(d);
        return d;
    }

    static string CreateRunRoot()
    {
        var parent = Path.Combine(Path.GetTempPath(), "repro-tests");
        Directory.CreateDirectory(parent);
        foreach (var stale in Directory.GetDirectories(parent))
            if (int.TryParse(Path.GetFileName(stale), out var pid) && !IsAlive(pid)) TryDelete(stale);
        var root = Path.Combine(parent, Environment.ProcessId.ToString());
        Directory.CreateDirectory(root);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(root);
        return root;
    }

    static bool IsAlive(int pid)
    {
        try { using var p = Process.GetProcessById(pid); return !p.HasExited; }
        catch (ArgumentException) { return false; }
    }

    static void TryDelete(string dir)
    {
        try { Directory.Delete(dir, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Repro.sln"))) return d.FullName;
        throw new DirectoryNotFoundException("Repro.sln not found above " + AppContext.BaseDirectory);
    }
}
