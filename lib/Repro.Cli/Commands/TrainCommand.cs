using System.CommandLine;
using Repro.Experiments;
using Repro.Experiments.Executors;
using Repro.Methods;

namespace Repro.Cli.Commands;

/// <summary>`repro train --method NAME`: one training run of any registered method on any dataset.</summary>
static class TrainCommand
{
    public static Command Create()
    {
        var method = new Option<string?>("--method") { Description = "Method or alias (see `repro methods`); required unless --spec gives the run" };
        var options = new Option<string[]>("--option") { Description = "Method option key=value (repeatable; `repro methods NAME` lists a method's options)", AllowMultipleArgumentsPerToken = true };
        var seed = new Option<ulong>("--seed") { Description = "Seed", DefaultValueFactory = _ => 0 };
        var common = new TrainingOptions();
        var probes = new Option<string[]>("--probe")
        {
            Description = $"Step probe NAME:EVERY, e.g. grad-suppression:10 (repeatable; known: {string.Join(", ", Repro.Evaluation.Probes.StepProbes.Names)})",
            AllowMultipleArgumentsPerToken = true,
        };
        var specFile = new Option<string?>("--spec")
        {
            Description = "A run spec file (written by `repro reproduce --executor local --jobs N|slurm`): trains exactly that run, instead of --method, --option, --seed, --dataset, --data, --profile, --selection and --probe",
        };
        var threads = CommonOptions.Threads("Compute threads for this run (default: libtorch's, every core)");
        var cmd = new Command("train", "Train one method on one dataset and print its test metrics") { method, options, seed, probes, specFile, threads };
        common.AddTo(cmd);
        cmd.SetAction(p => CliErrors.Guard(p, () =>
        {
            RunSpec spec;
            if (p.GetValue(specFile) is { } file)
            {
                var given = new Option[] { method, options, seed, common.Dataset, common.Data, common.Profile, common.Selection, probes }
                    .Where(o => p.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToArray();
                if (given.Length > 0) throw new ArgumentException($"--spec {file} gives the whole run; drop {string.Join(", ", given)}.");
                spec = RunSpecFile.Read(file);
            }
            else
            {
                var name = p.GetValue(method) ?? throw new ArgumentException("--method is required (or --spec FILE).");
                spec = new RunSpec
                {
                    Dataset = common.DatasetId(p), DataRoot = p.GetValue(common.Data), Profile = common.ProfileOf(p),
                    Method = MethodRegistry.Parse(name, p.GetValue(options) ?? []), Seed = p.GetValue(seed),
                    Selection = common.SelectionOf(p), Probes = ParseProbes(p.GetValue(probes) ?? []),
                };
            }
            using var computeThreads = CommonOptions.UseThreads(p.GetValue(threads));
            var store = common.Store(p);
            var (result, reused) = ConsoleObserver.Run(obs =>
            {
                var runner = common.Runner(p, obs);
                spec = runner.Identify(spec);   // under missing-files=drop the identity holds the present samples' digest
                return runner.Run(spec);
            });
            Console.WriteLine($"{result.Method}: {(reused ? "reused finished run" : "trained")} {store.RunDirectory(spec)}");
            if (result.DataCoverage is { } coverage) Console.WriteLine($"missing files dropped: {Data.SplitCoverage.Describe(coverage)}");
            Console.WriteLine($"selected epoch {result.SelectedEpoch + 1} ({result.Selection}); test: " +
                              string.Join(", ", result.Test.Where(kv => kv.Key != "n").Select(kv => $"{kv.Key} {kv.Value:F2}")));
            return 0;
        }));
        return cmd;
    }

    /// <summary>"name:every" entries to RunSpec.Probes; the name must be a registered probe.</summary>
    static Dictionary<string, int> ParseProbes(IEnumerable<string> specs)
    {
        var result = new Dictionary<string, int>();
        foreach (var spec in specs.SelectMany(s => s.Split(',')).Select(s => s.Trim()).Where(s => s.Length > 0))
        {
            int colon = spec.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(spec[(colon + 1)..], out var every) || every < 1)
                throw new ArgumentException($"--probe {spec}: expected NAME:EVERY with EVERY a positive number of steps, e.g. grad-suppression:10.");
            var name = spec[..colon];
            Repro.Evaluation.Probes.StepProbes.Create(name, every);   // unknown names fail here, listing the known ones
            result[name] = every;
        }
        return result;
    }
}
