static class BenchmarkPaths
{
    /// <summary>The repository root (the folder holding Repro.sln), found from the benchmark's binary.</summary>
    public static string RepoRoot { get; } = Find();

    static string Find()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Repro.sln"))) return d.FullName;
        return Directory.GetCurrentDirectory();
    }
}
