using System.CommandLine;
using Repro.Data.Manifests;
using Repro.Data.Prepare;
using Repro.Experiments;
using Repro.Experiments.Datasets;

namespace Repro.Cli.Commands;

/// <summary>
/// `repro data verify &lt;manifest&gt; --root DIR [--deep]`: checks a dataset root against a manifest and exits non-zero on
/// any mismatch. `repro data prepare &lt;dataset&gt; --raw DIR --out DIR`: converts a raw download to the loaders' layout.
/// </summary>
static class DataCommand
{
    public static Command Create()
    {
        var cmd = new Command("data", "Check and prepare real datasets");
        cmd.Subcommands.Add(Verify());
        cmd.Subcommands.Add(Prepare());
        return cmd;
    }

    /// <summary>A manifest path, or the name of one in data-manifests/ (e.g. cremad-ogm-ge).</summary>
    public static string ResolveManifest(string arg)
    {
        if (File.Exists(arg)) return arg;
        if (Directory.Exists(arg) && File.Exists(Path.Combine(arg, DatasetManifest.FileName))) return Path.Combine(arg, DatasetManifest.FileName);
        var repo = Path.GetDirectoryName(ResultsStore.DefaultRoot())!;
        foreach (var candidate in new[] { Path.Combine(repo, "data-manifests", arg), Path.Combine(repo, "data-manifests", arg + ".json") })
            if (File.Exists(candidate)) return candidate;
        throw new FileNotFoundException($"{arg}: manifest not found (a file, a folder with manifest.json, or a name in data-manifests/).", arg);
    }

    static Command Verify()
    {
        var manifest = new Argument<string>("manifest") { Description = "Manifest file (data-manifests/*.json, or DIR/manifest.json of a stand-in)" };
        var root = new Option<string>("--root") { Description = "Dataset root folder to check", Required = true };
        var deep = new Option<bool>("--deep") { Description = "Also decode every sample of every split (slow on real data)" };
        var allowMissing = new Option<bool>("--allow-missing")
        {
            Description = "A download that lacks some listed files (YouTube clips disappear): count them instead of failing, and report coverage per split and class",
        };
        var cmd = new Command("verify", "Check a dataset root against a manifest: layout, counts, shapes, checksums; non-zero exit on mismatch") { manifest, root, deep, allowMissing };
        cmd.SetAction(p => CliErrors.Guard(p, () =>
        {
            var path = ResolveManifest(p.GetValue(manifest)!);
            var m = DatasetManifest.Load(path);
            var dir = Path.GetFullPath(p.GetValue(root)!);
            Console.WriteLine($"Verifying {dir} against {path} ({m.Dataset}, protocol {m.Protocol})");
            var missing = p.GetValue(allowMissing) ? Repro.Data.MissingFilePolicy.Drop : Repro.Data.MissingFilePolicy.Error;
            var report = ConsoleObserver.Run(obs => ManifestVerifier.Verify(m, dir, split => DatasetCatalog.OpenSplit(m, dir, split, missing), p.GetValue(deep), obs,
                allowMissing: p.GetValue(allowMissing)));
            Console.WriteLine(report.ToText());
            return report.Ok ? 0 : 1;
        }));
        return cmd;
    }

    static Command Prepare()
    {
        var dataset = new Argument<string>("dataset") { Description = $"Dataset id, optionally id:protocol: {DatasetRegistry.Describe()}" };
        var raw = new Option<string>("--raw") { Description = "The raw download (see the dataset's manifest for what it must hold)", Required = true };
        var output = new Option<string>("--out") { Description = "Folder to write the loaders' layout into (resumed when it exists)", Required = true };
        var protocol = new Option<string?>("--protocol") { Description = "Protocol (default: the dataset's first)" };
        var vocab = new Option<string?>("--vocab") { Description = "BERT vocab.txt (food101, mmimdb; default: RAW/vocab.txt)" };
        var textLength = new Option<int?>("--text-length") { Description = "Token ids per text for the [UNK] and truncation report (food101, mmimdb; default: the loader's, 40 Food-101 / 256 MM-IMDb)" };
        var cmd = new Command("prepare", "Convert a raw download to the layout the loaders read (frames via ffmpeg, fbank features, tokenised text); resumable")
            { dataset, raw, output, protocol, vocab, textLength };
        cmd.SetAction(p => CliErrors.Guard(p, () =>
        {
            var r = DatasetRegistry.Check(p.GetValue(dataset)!);
            var descriptor = DatasetRegistry.Get(r.Id);
            var proto = DatasetRegistry.Protocol(r.Id, p.GetValue(protocol) ?? r.Protocol);
            var convert = descriptor.Prepare ?? throw new NotSupportedException($"{descriptor.Name}: the kit has no converter from a raw download; see data-manifests/README.md for its layout.");
            var preparer = ConsoleObserver.Run(obs =>
            {
                var prep = new DataPreparer
                {
                    Raw = Path.GetFullPath(p.GetValue(raw)!), Out = Path.GetFullPath(p.GetValue(output)!), Protocol = proto, Dataset = r.Id,
                    Vocab = p.GetValue(vocab), TextLength = p.GetValue(textLength), Progress = obs, Log = Console.WriteLine,
                };
                prep.Run(convert);
                return prep;
            });
            var report = preparer.Report;
            int absent = report.Count(PrepareOutcome.Absent);
            Console.WriteLine($"Prepared {r.Id} ({proto}) into {p.GetValue(output)}: {preparer.Done} converted, {preparer.Skipped} already there" +
                              $"{(absent > 0 ? $", {absent} absent" : "")}; report: {preparer.ReportPath}");
            if (absent > 0)
            {
                // a real download lacks some listed items: say how many and where the list is, and go on
                Console.WriteLine($"warning: {absent} of {report.Listed} listed item(s) are absent from the raw folder ({report.PerSplit(PrepareOutcome.Absent)}) " +
                                  $"and were left out; all of them are in {preparer.ReportPath}:");
                foreach (var line in report.Lines(PrepareOutcome.Absent, DataPreparer.Listed)) Console.WriteLine(line);
                Console.WriteLine($"Train on what is present with --dataset {MissingFiles.WithDrop(r with { Protocol = proto == descriptor.Protocols[0] ? null : proto })} --data {p.GetValue(output)}; " +
                                  $"see what is present per class with: repro data verify {descriptor.ManifestName(proto)} --root {p.GetValue(output)} --allow-missing");
            }
            else
                Console.WriteLine($"Check it with: repro data verify data-manifests/{descriptor.ManifestName(proto)}.json --root {p.GetValue(output)}");
            return 0;
        }));
        return cmd;
    }
}
