// Per-epoch wall time of MLA against joint Concat on the CREMA-D stand-in, under the embedded profile's settings
// (ResNet-18 at its width, its batch size and learning rate), all measured in one process on the same machine.
// Usage: dotnet run -c Release --project benchmarks/Repro.Benchmarks [-- EPOCHS [RESULTS_DIR [TORCH_THREADS]]]
// On a busy machine, TORCH_THREADS=1 makes the CPU time per epoch a stable measure of the work (no spinning threads).
// Not a test: it asserts nothing and prints times (clarifications.md "Measurements").
using System.Globalization;
using Repro.Data;
using Repro.Experiments;
using Repro.Experiments.Datasets;
using Repro.Methods;
using Repro.Models;
using Repro.Native;
using Repro.Training;
using static TorchSharp.torch;

TorchRuntime.EnsureReady();
if (args.FirstOrDefault() == "mla-table2") { MissingGridBenchmark.Run(args[1..]); return; }
if (args.FirstOrDefault() == "u2a") { U2aThroughputBenchmark.Run(args[1..]); return; }
int epochs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2;
string results = args.Length > 1 ? args[1] : Path.Combine(RepoRoot(), "results");
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

// Loading alone (decoding from the cache, augmentation, collation): part of every method's epoch.
var loadWatch = System.Diagnostics.Stopwatch.StartNew();
foreach (var indices in loader.Plan(1))
{
    using var scope = NewDisposeScope();
    loader.Load(indices, 1);
}
double loadSeconds = loadWatch.Elapsed.TotalSeconds;

Console.WriteLine($"CREMA-D stand-in ({data.Train.Count} training examples), profile {profile.Name}: batch {profile.Train.BatchSize}, " +
                  $"{loader.BatchCount} batches per epoch, encoder width {profile.EncoderWidth}, {epochs} epochs per method, " +
                  $"{Environment.ProcessorCount} cores, {get_num_threads()} torch threads; loading one epoch of batches alone: {F(loadSeconds)} s");
(string Label, string Method, string[] Options)[] runs =
[
    ("Concat (joint)", "concat", []),
    ("MLA (schedule=paper, hgm=paper)", "mla", []),
    ("MLA (schedule=official, hgm=official)", "mla", ["schedule=official", "hgm=official"]),
];
// Wall time per epoch is what a user waits; on a shared machine it is noisy, so the minimum over epochs and the
// process CPU time per epoch (less sensitive to other processes) are printed too. Ratios use the minimum wall time.
var best = new Dictionary<string, double>();
foreach (var (label, name, options) in runs)
{
    manual_seed(0);
    var parts = new ModelParts(data.Info.ModalityNames.ToArray(), data.BuildEncoder, data.Info.NumClasses, data.Info.MultiLabel);
    var method = MethodRegistry.Create(MethodRegistry.Parse(name, options), parts);
    WeightInit.Apply(method.Model);
    var config = profile.Train with { Epochs = epochs, Selection = Selection.Last, EvaluateTestEachEpoch = false };
    var cpu = new List<double>();
    var last = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
    var trainer = new Trainer
    {
        Config = config,
        AfterEpoch = (_, _) =>
        {
            var now = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
            cpu.Add((now - last).TotalSeconds);
            last = now;
        },
    };
    var seconds = trainer.Fit(method, loader, null, null).History.Select(h => h.Seconds).ToArray();
    best[label] = seconds.Min();
    Console.WriteLine($"{label,-40} wall per epoch: {string.Join("  ", seconds.Select(F))} s (min {F(best[label])} s); " +
                      $"CPU per epoch: {string.Join("  ", cpu.Select(F))} s");
}
var baseline = best[runs[0].Label];
foreach (var (label, _, _) in runs.Skip(1))
    Console.WriteLine($"{label} / Concat: {(best[label] / baseline).ToString("F2", CultureInfo.InvariantCulture)}x per epoch (minimum wall time)");

static string F(double s) => s.ToString("F1", CultureInfo.InvariantCulture);

static string RepoRoot()
{
    for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
        if (File.Exists(Path.Combine(d.FullName, "Repro.sln"))) return d.FullName;
    return Directory.GetCurrentDirectory();
}
