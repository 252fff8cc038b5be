// The cost table for choosing a method (Repro.Experiments.Costs.MethodCosts): every method of MLA Table 1 and DGL
// Table 1 trained for a few epochs on the CREMA-D stand-in under the embedded profile, as a run trains it: seconds per
// epoch (mean after the first) and relative to Concat, peak resident memory and its rise, trained parameters.
// Usage: dotnet run -c Release --project benchmarks/Repro.Benchmarks -- costs [EPOCHS [RESULTS_DIR [PROFILE]]]
using System.Globalization;
using Repro.Experiments;
using Repro.Experiments.Costs;

static class CostsBenchmark
{
    public static void Run(string[] args)
    {
        int epochs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
        string results = args.Length > 1 ? args[1] : Path.Combine(BenchmarkPaths.RepoRoot, "results");
        var profile = args.Length > 2 ? Profile.Named(args[2]) : Profile.Default;
        var runner = new ExperimentRunner(new ResultsStore(results));
        var costs = MethodCosts.Measure(runner, "cremad", profile, epochs, progress: m => Console.Error.WriteLine(m));
        Console.WriteLine($"Method costs on the CREMA-D stand-in, profile {profile.Name}, {epochs} epochs each, {Environment.ProcessorCount} cores, " +
                          Repro.Native.TorchRuntime.Describe());
        Console.Write(MethodCosts.Format(costs));
    }
}
