// Per-epoch wall time of joint Concat, MLA and DGL on the CREMA-D stand-in under the embedded profile (its ResNet-18
// width, batch size and learning rate; training epochs without the per-epoch evaluation), all in one process: for each
// epoch the wall time, the share of it spent waiting for data (batches are prepared on the data thread meanwhile), the
// peak resident memory, and whether memory stays flat (at most 5% growth from epoch 2 to the last). Concat runs a second
// time with every batch loaded on the training thread (REPRO_PREFETCH=off), the overlap's A/B.
// Usage: dotnet run -c Release --project benchmarks/Repro.Benchmarks -- epochs [EPOCHS [RESULTS_DIR [TORCH_THREADS]]]
// On a busy machine, TORCH_THREADS=1 makes the CPU time per epoch a stable measure of the work (no spinning threads).
using System.Diagnostics;
using System.Globalization;
using Repro.Data;
using Repro.Experiments;
using Repro.Experiments.Costs;
using Repro.Experiments.Datasets;
using Repro.Methods;
using Repro.Models;
using Repro.Native;
using Repro.Training;
using static TorchSharp.torch;

static class EpochBenchmark
{
    public static void Run(string[] args)
    {
        int epochs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
        string results = args.Length > 1 ? args[1] : Path.Combine(BenchmarkPaths.RepoRoot, "results");
        if (args.Length > 2) set_num_threads(int.Parse(args[2], CultureInfo.InvariantCulture));
        var profile = Profile.Embedded;
        var data = DatasetCatalog.Open("cremad", null, profile, results);
        var loader = new DataLoader(data.Train, profile.Train.BatchSize, true, SampleMode.Train, 13);

        // Decode every training sample once first (frames are cached), so no method pays for it.
        foreach (var indices in loader.Plan(0))
        {
            using var scope = NewDisposeScope();
            loader.Load(indices, 0);
        }
        var loadWatch = Stopwatch.StartNew();
        foreach (var indices in loader.Plan(1))
        {
            using var scope = NewDisposeScope();
            loader.Load(indices, 1);
        }
        Console.WriteLine($"CREMA-D stand-in ({data.Train.Count} training examples), profile {profile.Name}: batch {profile.Train.BatchSize}, " +
                          $"{loader.BatchCount} batches per epoch, encoder width {profile.EncoderWidth}, {epochs} epochs per method, " +
                          $"{Environment.ProcessorCount} cores, {get_num_threads()} torch threads; loading one epoch of batches alone: {F(loadWatch.Elapsed.TotalSeconds)} s");

        // "unguarded": every partial-block convolution on oneDNN's own backward kernels, what bare TorchSharp does (racy on
        // AVX-512 CPUs, environment.md): the cost of the convolution guard.
        (string Label, string Method, bool Prefetch, bool Unguarded)[] runs =
        [
            ("Concat (joint)", "concat", true, false),
            ("Concat, no prefetch", "concat", false, false),
            ("Concat, unguarded", "concat", true, true),
            ("MLA", "mla", true, false),
            ("DGL", "dgl", true, false),
        ];
        // Wall time per epoch is what a user waits; on a shared machine it is noisy, so the minimum over epochs and the
        // process CPU time per epoch (less sensitive to other processes) are printed too. Ratios use the minimum wall time.
        var best = new Dictionary<string, double>();
        foreach (var (label, name, prefetch, unguarded) in runs)
        {
            manual_seed(0);
            var parts = new ModelParts(data.Info.ModalityNames.ToArray(), data.BuildEncoder, data.Info.NumClasses, data.Info.MultiLabel) { Info = data.Info };
            var method = MethodRegistry.Create(MethodRegistry.Resolve(name), parts);
            WeightInit.Apply(method.Model);
            var config = profile.Train with { Epochs = epochs, Selection = Selection.Last, EvaluateTestEachEpoch = false };
            if (method is IAdjustsTraining adjusts) config = adjusts.AdjustTraining(config);
            var observer = new MemoryPerEpoch();
            BatchPrefetcher.Enabled = prefetch;
            TrainResult fit;
            using (unguarded ? ConvolutionGuard.Forcing(ConvolutionRoute.OneDnn) : null)
            try { fit = new Trainer { Config = config, Observer = observer }.Fit(method, loader, null, null); }
            finally { BatchPrefetcher.Enabled = null; }
            method.Model.Dispose();
            var seconds = fit.History.Select(h => h.Seconds).ToArray();
            best[label] = seconds.Min();
            var waits = fit.History.Select(h => h.DataWaitSeconds / h.Seconds).ToArray();
            Console.WriteLine($"{label,-20} wall per epoch: {string.Join("  ", seconds.Select(F))} s (min {F(best[label])} s); " +
                              $"CPU per epoch: {string.Join("  ", observer.Cpu.Select(F))} s");
            Console.WriteLine($"{"",-20} waiting for data: {string.Join("  ", waits.Select(w => w.ToString("P0", CultureInfo.InvariantCulture)))} of each epoch");
            Console.WriteLine($"{"",-20} peak RSS per epoch: {string.Join("  ", observer.Peaks.Select(ResidentMemory.Megabytes))} MB{Flatness(observer.Peaks)}");
        }
        var baseline = best[runs[0].Label];
        foreach (var (label, _, _, _) in runs.Skip(1))
            Console.WriteLine($"{label} / Concat: {(best[label] / baseline).ToString("F2", CultureInfo.InvariantCulture)}x per epoch (minimum wall time)");
    }

    /// <summary>Growth of the peak from the second epoch to the last; flat at 5% or less.</summary>
    static string Flatness(List<long?> peaks)
    {
        if (peaks.Count < 3 || peaks[1] is not { } second || peaks[^1] is not { } last) return "";
        double growth = (double)last / second - 1;
        return $" ({growth.ToString("+0.0%;-0.0%", CultureInfo.InvariantCulture)} from epoch 2 to {peaks.Count}: {(growth <= 0.05 ? "flat" : "GROWS")})";
    }

    static string F(double s) => s.ToString("F2", CultureInfo.InvariantCulture);

    /// <summary>Peak resident memory and process CPU time of each epoch.</summary>
    sealed class MemoryPerEpoch : ITrainingObserver
    {
        public List<long?> Peaks { get; } = [];
        public List<double> Cpu { get; } = [];
        TimeSpan _cpu;

        public void EpochStarted(int epoch, int epochs, int batches)
        {
            ResidentMemory.ResetPeak();
            _cpu = Process.GetCurrentProcess().TotalProcessorTime;
        }

        public void EpochDone(EpochRecord record)
        {
            Peaks.Add(ResidentMemory.PeakBytes);
            Cpu.Add((Process.GetCurrentProcess().TotalProcessorTime - _cpu).TotalSeconds);
        }
    }
}
