using System.CommandLine;
using Repro.Data.Manifests;
using Repro.Experiments.Datasets;

namespace Repro.Cli.Commands;

/// <summary>`repro synth &lt;dataset&gt; --out DIR`: writes a seeded stand-in in the dataset's real layout, with its manifest.</summary>
static class SynthCommand
{
    public static Command Create()
    {
        var dataset = new Argument<string>("dataset") { Description = $"Dataset id, optionally id:protocol: {DatasetRegistry.Describe()}" };
        var output = new Option<string>("--out") { Description = "Folder to write (must not exist or be empty)", Required = true };
        var protocol = new Option<string?>("--protocol") { Description = "Protocol whose layout to write (default: the dataset's first)" };
        var seed = new Option<ulong>("--seed") { Description = "Generator seed", DefaultValueFactory = _ => 0 };
        var train = new Option<int>("--train-per-class") { Description = "Training examples per class", DefaultValueFactory = _ => 100 };
        var test = new Option<int>("--test-per-class") { Description = "Test examples per class", DefaultValueFactory = _ => 40 };
        var force = CommonOptions.Force();
        var cmd = new Command("synth", "Write an embedded stand-in dataset in the real on-disk layout, with its manifest") { dataset, output, protocol, seed, train, test, force };
        cmd.SetAction(p => CliErrors.Guard(p, () =>
        {
            var r = DatasetRegistry.Check(p.GetValue(dataset)!);
            var proto = DatasetRegistry.Protocol(r.Id, p.GetValue(protocol) ?? r.Protocol);
            var dir = Path.GetFullPath(p.GetValue(output)!);
            if (Directory.Exists(dir) && Directory.EnumerateFileSystemEntries(dir).Any())
            {
                if (!p.GetValue(force)) throw new IOException($"{dir} is not empty; choose another --out or add --force to replace it.");
                Directory.Delete(dir, true);
            }
            var size = new StandInSize(p.GetValue(train), p.GetValue(test));
            if (size.TrainPerClass < 1 || size.TestPerClass < 1) throw new ArgumentException("--train-per-class and --test-per-class must be at least 1.");
            // written into a sibling temporary folder and moved into place: an interrupted run leaves no half stand-in
            var tmp = dir + $".{Environment.ProcessId}.tmp";
            if (Directory.Exists(tmp)) Directory.Delete(tmp, true);
            DatasetManifest manifest;
            try { manifest = ConsoleObserver.Run(obs => StandIns.Write(r.Id, proto, tmp, size, p.GetValue(seed), obs)); }
            catch
            {
                if (Directory.Exists(tmp)) Directory.Delete(tmp, true);
                throw;
            }
            if (Directory.Exists(dir)) Directory.Delete(dir);
            Directory.Move(tmp, dir);
            var name = $"{DatasetRegistry.Get(r.Id).Name} ({proto})";
            Console.WriteLine($"Wrote the {name} stand-in to {dir}: {string.Join(", ", manifest.Splits.Select(s => $"{s.Key} {s.Value.Count}"))} examples; " +
                              $"manifest {Path.Combine(dir, "manifest.json")}");
            return 0;
        }));
        return cmd;
    }
}
