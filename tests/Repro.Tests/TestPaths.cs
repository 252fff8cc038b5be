namespace Repro.Tests;

/// <summary>Locations of the repository and its test fixtures, found from the test binary.</summary>
public static class TestPaths
{
    public static string RepoRoot { get; } = FindRoot();
    public static string Fixtures => Path.Combine(RepoRoot, "tests", "fixtures");
    public static string Parity => Path.Combine(Fixtures, "parity");
    public static string Frontend => Path.Combine(Fixtures, "frontend");

    /// <summary>A fresh empty folder under the system temp directory.</summary>
    public static string TempDir(string prefix = "repro-test")
    {
        var d = Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(d);
        return d;
    }

    static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Repro.sln"))) return d.FullName;
        throw new DirectoryNotFoundException("Repro.sln not found above " + AppContext.BaseDirectory);
    }
}
