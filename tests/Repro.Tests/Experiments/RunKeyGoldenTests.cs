using Repro.Experiments;
using Repro.Experiments.Tables;
using Repro.Methods;
using Repro.Methods.U2a;

namespace Repro.Tests.Experiments;

/// <summary>
/// A run's key names its folder in the results store: a finished run is found again only if the same configuration
/// gives the same key. tests/fixtures/run-keys.tsv holds the keys of every run every paper table asks for (each dataset
/// it covers, under each profile), the nested pretraining runs of U2A's stand-in encoders, what lessons and
/// `repro train` ask for with explicit options; it was written by the code before typed options, and every key must
/// stay the same. New cases may be added (set REPRO_RUN_KEYS_OUT=FILE to write the computed list); a case whose key
/// changes means stored results would silently stop being reused.
/// </summary>
public class RunKeyGoldenTests
{
    static string GoldenPath => Path.Combine(TestPaths.Fixtures, "run-keys.tsv");

    [Fact]
    public void EveryStoredRunKeepsItsKey()
    {
        var computed = Cases().ToList();
        if (Environment.GetEnvironmentVariable("REPRO_RUN_KEYS_OUT") is { Length: > 0 } output)
            File.WriteAllLines(output, computed.Select(c => $"{c.Case}\t{c.Key}"));
        var now = computed.ToDictionary(c => c.Case, c => c.Key);
        Assert.Equal(computed.Count, now.Count);   // case names are unique
        var golden = File.ReadAllLines(GoldenPath).Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split('\t')).ToArray();
        Assert.True(golden.Length > 1000, $"{GoldenPath}: only {golden.Length} cases");
        var wrong = golden.Where(g => now.GetValueOrDefault(g[0]) != g[1])
            .Select(g => $"{g[0]}\n  was {g[1]}\n  now {now.GetValueOrDefault(g[0]) ?? "(no such case)"}").ToArray();
        Assert.True(wrong.Length == 0, $"{wrong.Length} of {golden.Length} run keys changed:\n{string.Join("\n", wrong.Take(20))}");
    }

    static readonly Profile[] Profiles = [Profile.Smoke, Profile.Embedded, Profile.Paper];

    static IEnumerable<(string Case, string Key)> Cases()
    {
        foreach (var id in PaperTables.Ids)
        {
            var spec = PaperTables.Get(id);
            foreach (var dataset in spec.Datasets.Order(StringComparer.Ordinal))
                foreach (var profile in Profiles)
                    foreach (var c in TableCases(spec, dataset, null, profile, Repro.Training.Selection.Validation))
                        yield return c;
        }
        foreach (var c in TableCases(MlaTable1.Spec, "cremad", "/data/crema-d", Profile.Paper, Repro.Training.Selection.TestBest))
            yield return c;

        var size = U2a.EncoderSize(new MethodOptions("u2a"));
        foreach (var profile in Profiles)
            foreach (var (dataset, modalities) in new[] { ("food101:map", new[] { "image", "text" }), ("mmimdb", ["image", "text"]), ("cremad:mla", ["audio", "visual"]), ("ks", ["audio", "visual"]) })
                foreach (var m in modalities)
                    yield return ($"pretrain {dataset} {profile.Name} {m}",
                        StandInEncoders.PretrainingRun(dataset, profile.Name, m, size, multiLabel: dataset == "mmimdb").Key);

        foreach (var (dataset, method, options) in LessonRuns)
            foreach (var profile in Profiles)
                yield return ($"lesson {dataset} {method} {string.Join(" ", options.Select(o => $"{o.Key}={o.Value}"))} {profile.Name}",
                    ExperimentRunner.TrainSpec(dataset, profile, method, options: options).Key);
        yield return ("lesson concat probes grad-suppression:2 embedded",
            ExperimentRunner.TrainSpec("cremad", Profile.Embedded, "concat", probes: new Dictionary<string, int> { ["grad-suppression"] = 2 }).Key);

        foreach (var (method, dataset, options) in TrainRuns)
            foreach (var profile in Profiles)
                yield return ($"train {method} {string.Join(" ", options)} --dataset {dataset} {profile.Name}", TrainKey(method, dataset, profile.Name, options));
        yield return ("train mla seed 2 test-best", TrainKey("mla", "cremad", "embedded", [], seed: 2, Repro.Training.Selection.TestBest));
    }

    static IEnumerable<(string Case, string Key)> TableCases(TableSpec spec, string dataset, string? root, Profile profile, Repro.Training.Selection selection)
    {
        var prefix = $"table {spec.Id} {dataset}{(root is null ? "" : " --data " + root)} {profile.Name}{(selection == Repro.Training.Selection.Validation ? "" : " " + selection)}";
        foreach (var run in TableRunner.Plan(spec, dataset, root, profile, selection: selection).Runs)
        {
            var cell = $"{prefix} [{run.Column.Label}] {run.Settings}|{run.Replicate}|seed{run.Seed}";
            yield return (cell, run.Spec.Key);
            foreach (var row in run.Rows.Where(r => r.TestSettings is not null))
                yield return ($"{cell} evaluates [{row.Label}]", $"{run.Spec.Dataset}:{row.TestSettings}");
        }
    }

    /// <summary>What the lessons train by name (notebooks/*.ipynb), options as strings.</summary>
    static readonly (string Dataset, string Method, (string Key, string Value)[] Options)[] LessonRuns =
    [
        ("cremad", "concat", []), ("cremad", "mla", []), ("cremad", "dgl", []),
        ("cremad", "unimodal", [("modality", "audio")]), ("cremad", "unimodal", [("modality", "visual")]),
        ("cremad", "mla", [("hgm", "official")]), ("cremad", "mla", [("hgm", "released")]),
        ("cremad", "mla", [("hgm", "balancebenchmark")]), ("cremad", "mla", [("hgm", "off")]),
        ("food101:map", "u2a", []), ("food101:map", "u2a", [("pretrained", "none")]),
    ];

    /// <summary>`repro train --method M --option ...` with numbers, booleans, lists and aliases (options in each method's declaration order).</summary>
    static readonly (string Method, string Dataset, string[] Options)[] TrainRuns =
    [
        ("mla", "cremad", []),
        ("mla", "cremad", ["hgm=off"]),
        ("mla", "cremad", ["schedule=official", "hgm=official"]),
        ("mla", "cremad", ["hgm_alpha=0.5"]),
        ("mla", "cremad", ["hgm_alpha=1e-3"]),
        ("mla", "cremad", ["torch18_optimizer=true"]),
        ("mla", "cremad", ["modalities=visual,audio"]),
        ("mla", "cremad", ["fusion=official-batch-entropy", "missing=zero"]),
        ("mla", "iemocap:fold=2:missing-rate=0.3", ["fusion=mean"]),
        ("concat", "cremad", []),
        ("joint", "cremad", ["fusion=sum"]),
        ("film", "cremad", ["conditioned_by=visual"]),
        ("gated", "ks", ["gate_from=visual"]),
        ("late", "cremad", []),
        ("late-fusion", "food101", []),
        ("unimodal", "ks", ["modality=visual"]),
        ("dgl", "cremad", ["alpha=2", "truncation=unimodal"]),
        ("dgl", "cremad", ["fusion=film"]),
        ("dgl-official", "cremad", []),
        ("qmf", "cremad", ["dynamic_fusion=false"]),
        ("qmf-ti", "food101:map", []),
        ("ogm-ge", "cremad", ["alpha=0.5"]),
        ("ogm-bb", "cremad", []),
        ("ogm", "food101", ["variant=OGM", "modulate=non1d"]),
        ("pmr", "cremad", ["alpha=1.5", "modulation_ends=20"]),
        ("agm", "cremad", ["variant=balancebenchmark"]),
        ("gblending", "cremad", ["variant=balancebenchmark", "method=offline", "super_epoch=5"]),
        ("mmpareto", "cremad", ["gamma=2"]),
        ("dr", "cremad", ["reinit_epoch=5"]),
        ("u2a", "food101:map", ["lr=0.0005", "epochs=3"]),
        ("u2a", "food101:map", ["hidden=64", "layers=1"]),
        ("u2a", "food101:map", ["modality_dropout=0.3"]),
        ("u2a", "ks", ["align_weight=0.5", "align_target=detached"]),
        ("ae", "iemocap", ["n_blocks=3"]),
        ("ae", "iemocap", ["ae_layers=128,64"]),
        ("cra", "iemocap", []),
        ("cca", "iemocap", ["k=3"]),
        ("dcca", "iemocap", ["hidden=256"]),
        ("dccae", "iemocap", []),
        ("mmin", "iemocap:missing-rate=0.5", ["mse_weight=2"]),
        ("if-mmin", "iemocap", ["cmd_weight=0.5"]),
        ("cpm-net", "iemocap", ["lsd=64"]),
        ("tate", "iemocap", ["heads=2"]),
    ];

    /// <summary>The key `repro train` gives a run.</summary>
    static string TrainKey(string method, string dataset, string profile, string[] options, ulong seed = 0,
        Repro.Training.Selection selection = Repro.Training.Selection.Validation) =>
        new RunSpec
        {
            Dataset = dataset, Profile = profile, Seed = seed, Selection = selection,
            Method = MethodRegistry.Resolve(method, MethodOptions.Parse(method, options)),
        }.Key;
}
