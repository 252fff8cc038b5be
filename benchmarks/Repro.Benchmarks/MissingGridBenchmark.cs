// The cost of every cell of MLA Table 2 (IEMOCAP missing rates): runs the table under a profile on the stand-in into
// a results folder (reusing finished runs, so it resumes) and prints each run's training seconds and the grid's wall
// time. Usage: dotnet run -c Release --project benchmarks/Repro.Benchmarks -- mla-table2 [PROFILE [RESULTS_DIR]]
// Not a test: it asserts nothing (docs/decisions.md#measurements).
using System.Globalization;
using Repro.Experiments;
using Repro.Experiments.Tables;

static class MissingGridBenchmark
{
    public static void Run(string[] args)
    {
        var profile = args.Length > 0 ? Profile.Named(args[0]) : Profile.Default;
        var results = args.Length > 1 ? args[1] : Path.Combine(Path.GetTempPath(), "repro-mla-table2-benchmark");
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var table = TableRunner.Run(new ExperimentRunner(new ResultsStore(results)), PaperTables.Get("mla-table2"), "iemocap", null, profile);
        Console.WriteLine($"mla-table2, profile {profile.Name}, {Environment.ProcessorCount} cores, results {results}");
        Console.WriteLine($"{"column",-12} {"settings",-18} {"fold",-8} seed  seconds");
        foreach (var c in table.Costs)
            Console.WriteLine($"{c.Column,-12} {c.Settings,-18} {c.Replicate,-8} {c.Seed,4}  {c.Seconds.ToString("F1", CultureInfo.InvariantCulture),7}{(c.Reused ? " (reused)" : "")}");
        foreach (var g in table.Costs.GroupBy(c => c.Column))
            Console.WriteLine($"{g.Key,-12} {g.Count()} runs, {g.Sum(c => c.Seconds).ToString("F0", CultureInfo.InvariantCulture)} s of training");
        foreach (var (col, reason) in table.Skipped) Console.WriteLine($"not run: {col} ({reason})");
        Console.WriteLine($"grid wall time: {watch.Elapsed.TotalSeconds.ToString("F0", CultureInfo.InvariantCulture)} s");
    }
}
