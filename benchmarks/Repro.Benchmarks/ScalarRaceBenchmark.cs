// Where the kit still passes a temporary Scalar to libtorch (environment.md, "Temporary scalars"): every
// method's training step, on one smoke batch of each dataset, run again and again while another thread collects
// garbage in a loop, so that a finalizer freeing a Scalar during a native call shows up within a few hundred steps
// instead of once in fifty runs. Prints per method and dataset the steps run, the failures, and the kit's frames that
// called libtorch when it failed (the call sites to hold). A measurement, not a test: the collecting thread starves
// whatever else the process runs.
// Usage: dotnet run -c Release --project benchmarks/Repro.Benchmarks -- scalars [STEPS [DATASETS [METHODS]]]
//   DATASETS: comma-separated dataset ids (default cremad,ks:dgl,food101); METHODS: comma-separated names (default all)
using System.Globalization;
using Repro.Experiments;
using Repro.Lessons;
using Repro.Methods;

static class ScalarRaceBenchmark
{
    public static void Run(string[] args)
    {
        int steps = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 300;
        var datasets = args.Length > 1 ? args[1].Split(',') : ["cremad", "ks:dgl", "food101"];
        var only = args.Length > 2 ? args[2].Split(',').ToHashSet() : null;
        var runner = new ExperimentRunner(new ResultsStore(Path.Combine(Path.GetTempPath(), "repro-scalars")));
        using var stop = new CancellationTokenSource();
        var collector = new Thread(() => { while (!stop.IsCancellationRequested) { GC.Collect(); GC.WaitForPendingFinalizers(); } })
            { IsBackground = true, Name = "collector" };
        collector.Start();
        Console.WriteLine($"Temporary-Scalar races: {steps} training steps per method and dataset, profile smoke, a thread collecting garbage in a loop");
        foreach (var dataset in datasets)
        {
            var bench = Workbench.Open(runner, dataset, Profile.Smoke);
            foreach (var entry in MethodRegistry.Entries.OrderBy(e => e.Name, StringComparer.Ordinal))
            {
                if (only is not null && !only.Contains(entry.Name)) continue;
                Method method;
                try { method = bench.Fresh(entry.Name); }
                catch (Exception e) { Console.WriteLine($"{dataset,-8} {entry.Name,-24} not built here: {First(e.Message)}"); continue; }
                var sites = new Dictionary<string, int>();
                int failures = 0, done = 0;
                for (long t = 0; t < steps; t++)
                {
                    try
                    {
                        using var scope = TorchSharp.torch.NewDisposeScope();
                        method.TrainStep(bench.Batch, bench.Context(method, t));
                        done++;
                    }
                    catch (Exception e) when (Repro.Native.ScalarRace.Matches(e))
                    {
                        failures++;
                        var site = KitFrames(e);
                        sites[site] = sites.GetValueOrDefault(site) + 1;
                        method = bench.Fresh(entry.Name);   // the failed step may have left its state half-updated
                    }
                    catch (Exception e)
                    {
                        Console.WriteLine($"{dataset,-8} {entry.Name,-24} stopped at step {t}: {First(e.Message)}");
                        break;
                    }
                }
                Console.WriteLine($"{dataset,-8} {entry.Name,-24} {done,5} steps, {failures,3} failed");
                foreach (var (site, count) in sites.OrderByDescending(kv => kv.Value))
                    Console.WriteLine($"    {count,3}x {site}");
            }
        }
        stop.Cancel();
    }

    static string First(string message) => message.Split('\n')[0];

    /// <summary>The innermost frames of the kit's own code on the failing call, innermost first.</summary>
    static string KitFrames(Exception e) => string.Join(" <- ", (e.StackTrace ?? "").Split('\n')
        .Select(l => l.Trim()).Where(l => l.StartsWith("at Repro.", StringComparison.Ordinal))
        .Select(l => l[3..].Split(" in ")[0] + (l.Contains(":line ") ? ":" + l[(l.LastIndexOf(":line ", StringComparison.Ordinal) + 6)..] : ""))
        .Take(3));
}
