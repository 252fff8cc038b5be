using Repro.Experiments;
using Repro.Experiments.Tables;
using Repro.Methods;
using Repro.Methods.U2a;

namespace Repro.Tests.Experiments;

/// <summary>
/// A run's key names its folder in the results store: a finished run is found again only if the same configuration
/// gives the same key. tests/fixtures/run-keys.tsv holds the keys of every run every paper table asks for (each dataset
/// it covers, under each profile), the nested pretraining runs of U2A's stand-in encoders, what lessons and
/// `repro train` ask for with explicit options; it was written by the code before typed options. Every key stays the
/// same, except the few in <see cref="NowNamedAs"/>, each of which now has the key of another case of the file (a run
/// stored under it is found again), and the options now refused. New cases may be added (set REPRO_RUN_KEYS_OUT=FILE
/// to write the computed list).
/// </summary>
public class RunKeyGoldenTests
{
    static string GoldenPath => Path.Combine(TestPaths.Fixtures, "run-keys.tsv");
    static readonly Profile[] Profiles = [Profile.Smoke, Profile.Embedded, Profile.Paper];

    /// <summary>Cases whose key changed on purpose, and the case whose (old) key they now have.</summary>
    static readonly Dictionary<string, string> NowNamedAs = Profiles.SelectMany(IEnumerable<(string, string)> (p) =>
    [
        // an option at its default names the same run as no option (issue 20)
        ($"train mla hgm=paper --dataset cremad {p.Name}", $"train mla  --dataset cremad {p.Name}"),
        ($"train mla schedule=paper fusion=entropy --dataset cremad {p.Name}", $"train mla  --dataset cremad {p.Name}"),
        // DGL Table 4's alpha=4 column is DGL at its defaults: the run of DGL Table 1's DGL column
        .. Enumerable.Range(0, p.Seeds).Select(s => ($"table dgl-table4 cremad {p.Name} [alpha=4] ||seed{s}", $"table dgl-table1 cremad {p.Name} [DGL] ||seed{s}")),
        // the fusion head and OGM-GE's variant are always in the identity: joint and concat, ogm and ogm-ge name one run
        ($"train joint  --dataset cremad {p.Name}", $"train concat  --dataset cremad {p.Name}"),
        ($"train ogm  --dataset cremad {p.Name}", $"table mla-table1 cremad {p.Name} [OGM-GE] ||seed0"),
        // dgl-official names the explicit form of its options (its values, once stored as text, are bound like --option);
        // since it also sets unimodal_logits=official (the official sum and gated heads' unimodal branches), that form includes it
        ($"train dgl-official  --dataset cremad {p.Name}", $"train dgl test_drop_last=true scheduler_before_epoch=true gated_detach=official unimodal_logits=official --dataset cremad {p.Name}"),
        // options in declaration order: the order of --option flags no longer changes the key
        ($"train ogm variant=OGM modulate=non1d --dataset food101 {p.Name}", $"train ogm modulate=non1d variant=OGM --dataset food101 {p.Name}"),
    ]).ToDictionary(c => c.Item1, c => c.Item2);

    /// <summary>Cases whose options are now refused: AE has no n_blocks (CRA has); the option used to be ignored.</summary>
    static readonly (string Method, string[] Options, string Case)[] Refused = [("ae", ["n_blocks=3"], "train ae n_blocks=3 ")];

    [Fact]
    public void EveryStoredRunKeepsItsKey()
    {
        var computed = Cases().ToList();
        if (Environment.GetEnvironmentVariable("REPRO_RUN_KEYS_OUT") is { Length: > 0 } output)
            File.WriteAllLines(output, computed.Select(c => $"{c.Case}\t{c.Key}"));
        var now = computed.ToDictionary(c => c.Case, c => c.Key);
        Assert.Equal(computed.Count, now.Count);   // case names are unique
        var golden = File.ReadAllLines(GoldenPath).Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split('\t'))
            .ToDictionary(g => g[0], g => g[1]);
        Assert.True(golden.Count > 2000, $"{GoldenPath}: only {golden.Count} cases");
        var wrong = new List<string>();
        foreach (var (name, key) in golden)
        {
            if (Refused.Any(r => name.StartsWith(r.Case, StringComparison.Ordinal))) continue;
            var expected = NowNamedAs.TryGetValue(name, out var other) ? golden[other] : key;
            if (now.GetValueOrDefault(name) != expected)
                wrong.Add($"{name}\n  expected {expected}{(other is null ? "" : $" (the key of {other})")}\n  now {now.GetValueOrDefault(name) ?? "(no such case)"}");
        }
        Assert.True(wrong.Count == 0, $"{wrong.Count} of {golden.Count} run keys changed:\n{string.Join("\n", wrong.Take(20))}");
        Assert.All(NowNamedAs, c => Assert.NotEqual(golden[c.Key], now[c.Key]));
        foreach (var (method, options, _) in Refused)
            Assert.Contains("unknown option", Assert.Throws<ArgumentException>(() => MethodRegistry.Parse(method, options)).Message);
    }

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

        var size = new U2aOptions().EncoderSize;
        foreach (var profile in Profiles)
            foreach (var (dataset, modalities) in new[] { ("food101:map", new[] { "image", "text" }), ("mmimdb", ["image", "text"]), ("cremad:mla", ["audio", "visual"]), ("ks", ["audio", "visual"]) })
                foreach (var m in modalities)
                    yield return ($"pretrain {dataset} {profile.Name} {m}",
                        StandInEncoders.PretrainingRun(dataset, profile, m, size, multiLabel: dataset == "mmimdb").Key);

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

    /// <summary>`repro train --method M --option ...` with numbers, booleans, lists and aliases.</summary>
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
        ("dgl", "cremad", ["test_drop_last=true", "scheduler_before_epoch=true", "gated_detach=official"]),
        ("dgl", "cremad", ["test_drop_last=true", "scheduler_before_epoch=true", "gated_detach=official", "unimodal_logits=official"]),
        ("mla", "cremad", ["hgm=paper"]),
        ("mla", "cremad", ["schedule=paper", "fusion=entropy"]),
        ("joint", "cremad", []),
        ("ogm", "cremad", []),
        ("qmf", "cremad", ["dynamic_fusion=false"]),
        ("qmf-ti", "food101:map", []),
        ("ogm-ge", "cremad", ["alpha=0.5"]),
        ("ogm-bb", "cremad", []),
        ("ogm", "food101", ["variant=OGM", "modulate=non1d"]),
        ("ogm", "food101", ["modulate=non1d", "variant=OGM"]),
        ("pmr", "cremad", ["alpha=1.5", "modulation_ends=20"]),
        ("agm", "cremad", ["variant=balancebenchmark"]),
        ("gblending", "cremad", ["variant=balancebenchmark", "method=offline", "super_epoch=5"]),
        ("mmpareto", "cremad", ["gamma=2"]),
        ("dr", "cremad", ["reinit_epoch=5"]),
        ("u2a", "food101:map", ["lr=0.0005", "epochs=3"]),
        ("u2a", "food101:map", ["hidden=64", "layers=1"]),
        ("u2a", "food101:map", ["modality_dropout=0.3"]),
        ("u2a", "ks", ["align_weight=0.5", "align_target=detached"]),
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
            Dataset = dataset, Profile = Profile.Named(profile), Seed = seed, Selection = selection,
            Method = MethodRegistry.Parse(method, options),
        }.Key;
}
