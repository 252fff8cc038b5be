using System.CommandLine;
using Repro.Data.CremaD;
using Repro.Experiments.Datasets;

namespace Repro.Cli.Commands;

/// <summary>`repro synth &lt;dataset&gt; --out DIR`: writes a seeded stand-in in the dataset's real layout, with its manifest.</summary>
static class SynthCommand
{
    public static Command Create()
    {
        var dataset = new Argument<string>("dataset") { Description = "Dataset id (cremad)" };
        var output = new Option<string>("--out") { Description = "Folder to write (must not exist or be empty)", Required = true };
        var seed = new Option<ulong>("--seed") { Description = "Generator seed", DefaultValueFactory = _ => 0 };
        var train = new Option<int>("--train-per-class") { Description = "Training clips per class", DefaultValueFactory = _ => 100 };
        var test = new Option<int>("--test-per-class") { Description = "Test clips per class", DefaultValueFactory = _ => 40 };
        var force = CommonOptions.Force();
        var cmd = new Command("synth", "Write an embedded stand-in dataset in the real on-disk layout") { dataset, output, seed, train, test, force };
        cmd.SetAction(p => CliErrors.Guard(() =>
        {
            var id = p.GetValue(dataset);
            if (id != "cremad") throw new ArgumentException($"No stand-in for '{id}' yet; available: cremad.");
            var dir = Path.GetFullPath(p.GetValue(output)!);
            if (Directory.Exists(dir) && Directory.EnumerateFileSystemEntries(dir).Any())
            {
                if (!p.GetValue(force)) throw new IOException($"{dir} is not empty; choose another --out or add --force to replace it.");
                Directory.Delete(dir, true);
            }
            var recipe = new CremaDStandInRecipe { Seed = p.GetValue(seed), TrainPerClass = p.GetValue(train), TestPerClass = p.GetValue(test) };
            var manifest = ConsoleObserver.Run(obs => DatasetCatalog.WriteCremaDStandIn(dir, recipe, obs));
            Console.WriteLine($"Wrote the CREMA-D stand-in to {dir}: train {manifest.Splits["train"].Count}, test {manifest.Splits["test"].Count} clips; manifest {Path.Combine(dir, "manifest.json")}");
            return 0;
        }));
        return cmd;
    }
}
