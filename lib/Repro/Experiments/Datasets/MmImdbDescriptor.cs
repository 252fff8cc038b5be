using Repro.Data;
using Repro.Data.Manifests;
using Repro.Data.MmImdb;
using Repro.Data.Prepare;

namespace Repro.Experiments.Datasets;

/// <summary>MM-IMDb (Data/MmImdb/): MAP's protocol, posters and plots, 23 genres, multi-label (epochs selected by F1-macro).</summary>
[Dataset]
public sealed class MmImdbDescriptor : ImageTextDescriptor
{
    public override string Id => "mmimdb";
    public override string Name => "MM-IMDb";
    public override IReadOnlyList<string> Protocols => ["map"];
    public override string SelectionMetric => "f1_macro";
    public override IReadOnlyList<DatasetSetting> Settings =>
    [
        .. base.Settings,
        new("plots", "all (default: every plot its own sample, as MAP) | longest (one sample per movie)"),
        new("unknown-genres", "error (default) | ignore: a movie with a genre outside the 23 is refused, or the genre dropped"),
    ];
    public override bool ListsFiles => true;
    public override Action<DataPreparer> Prepare => p => p.ImageText(Id);

    public override OpenedDataset Open(DatasetRef id, string protocol, string root, Profile profile, DatasetManifest? local)
    {
        var o = TextOptions(id, profile, 256);
        var plots = id.Get("plots") switch
        {
            null or "all" => PlotSelection.All,
            "longest" => PlotSelection.Longest,
            var v => throw new ArgumentException($"Dataset setting plots={v}: expected all or longest."),
        };
        bool ignore = id.Get("unknown-genres") switch
        {
            null or "error" => false,
            "ignore" => true,
            var v => throw new ArgumentException($"Dataset setting unknown-genres={v}: expected error or ignore."),
        };
        var (train, test) = Splits(id, root, s => new MmImdbDataset(root, s, o, plots, ignore));
        return Opened(train, test, Encoders(profile, train.Tokenizer.VocabSize));
    }

    public override IMultimodalDataset OpenSplit(DatasetManifest m, string root, string split, MissingFilePolicy missing = MissingFilePolicy.Error) =>
        new MmImdbDataset(root, split, VerifyOptions with { MissingFiles = missing }, m.Option("plots", "all") == "longest" ? PlotSelection.Longest : PlotSelection.All);

    public override DatasetManifest WriteStandIn(string dir, string protocol, StandInSize size, ulong seed, IProgress<(int, int)>? progress)
    {
        int train = Math.Max(40, size.TrainPerClass * 8), test = Math.Max(20, size.TestPerClass * 8);
        var splits = MmImdbStandIn.Write(dir, new MmImdbStandInRecipe { Train = train, Dev = Math.Max(10, train / 5), Test = test, Seed = seed }, progress);
        return new DatasetManifest
        {
            Dataset = Id, Protocol = "map",
            Source = $"repro synth mmimdb (seed {seed}): a generated stand-in in MM-IMDb's layout; not real data",
            Licence = Generated,
            Layout = new()
            {
                ["image"] = "dataset/<id>.jpeg", ["meta"] = "dataset/<id>.json with genres (list) and plot (list)",
                ["splits"] = "split.json {train, dev, test: [ids]}", ["vocab"] = "vocab.txt: BERT-format WordPiece vocabulary",
            },
            Splits = splits.ToDictionary(kv => kv.Key, kv =>
            {
                var ds = new MmImdbDataset(dir, kv.Key, new Data.Text.ImageTextOptions { TextLength = 16 });
                return new DatasetManifest.SplitManifest($"split.json[{kv.Key}]", ds.Count, Histogram(Enumerable.Range(0, ds.Count).Select(ds.LabelOf), 23));
            }),
            Classes = MmImdbDataset.Genres,
            Options = new() { ["plots"] = "all", ["movies"] = string.Join(",", splits.Select(kv => $"{kv.Key}={kv.Value.Count}")) },
            Counts = [new("dataset/*.jpeg", splits.Values.Sum(v => v.Count)), new("dataset/*.json", splits.Values.Sum(v => v.Count))],
            Preprocessing = ["multi-label targets over the 23 genres in MAP's order; every plot its own sample (MAP)", "text: BERT WordPiece from vocab.txt", "image: as Food-101"],
        };
    }
}
