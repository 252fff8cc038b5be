using Repro.Data;
using Repro.Data.Manifests;
using Repro.Data.Mosi;
using Repro.Models.Encoders;

namespace Repro.Experiments.Datasets;

/// <summary>
/// CMU-MOSI (Data/Mosi/): the released feature pickle (MulT's mosi_data.pkl; MMSA's aligned_50.pkl reads the same),
/// audio, visual and text features mean-pooled per clip, two classes from the sentiment score; DGL Table 2's right half.
/// Trains on the file's train split and tests on its test split; the validation split is carved from train as for every
/// dataset, the file's own valid split being checked by `repro data verify` only.
/// </summary>
[Dataset]
public sealed class MosiDescriptor : DatasetDescriptor
{
    public override string Id => "mosi";
    public override string Name => "CMU-MOSI";
    public override IReadOnlyList<string> Protocols => ["mult"];
    public override IReadOnlyList<DatasetSetting> Settings =>
        [new("label", "positive (default): score > 0 is positive, as MulT's binary accuracy; nonnegative: score >= 0 (MMSA's Has0)")];
    public override int StandInVersion => MosiStandInRecipe.Version;

    public static MosiLabelRule Rule(DatasetRef id) => id.Get("label") switch
    {
        null or "positive" => MosiLabelRule.Positive,
        "nonnegative" => MosiLabelRule.NonNegative,
        var v => throw new ArgumentException($"Dataset setting label={v}: expected positive or nonnegative."),
    };

    public override OpenedDataset Open(DatasetRef id, string protocol, string root, Profile profile, DatasetManifest? local)
    {
        var rule = Rule(id);
        var path = Path.Combine(root, MosiDataset.FeatureFile);
        var splits = MosiFeatureFile.Read(path, ["train", "test"]);   // one read; every bad entry of both splits listed together
        var expected = local is null ? null : Shapes(local);
        var (train, test) = Splits(s => new MosiDataset(path, splits[s], rule, expected));
        return Opened(train, test, new DropReport(), new DropReport(),
            m => new FeatureMlp(train.Info.Modality(m).Shape[0], profile.FeatureHidden, profile.FeatureHidden));
    }

    public override IMultimodalDataset OpenSplit(DatasetManifest m, string root, string split, MissingFilePolicy missing = MissingFilePolicy.Error) =>
        new MosiDataset(root, split, MosiLabelRule.Positive, Shapes(m));

    /// <summary>The (steps, features) per modality a manifest fixes (its options <c>audio</c>, <c>visual</c>, <c>text</c>: "50x5").</summary>
    public static Dictionary<string, long[]> Shapes(DatasetManifest m)
    {
        var shapes = new Dictionary<string, long[]>();
        foreach (var (_, modality) in MosiFeatureFile.ModalityKeys)
            if (m.Options.TryGetValue(modality, out var v))
                shapes[modality] = v.Split('x').Select(long.Parse).ToArray();
        return shapes;
    }

    /// <summary>Train 2 x the per-class count, valid and test 2 x the per-class test count each (MOSI's split is 1,284 / 229 / 686).</summary>
    public override DatasetManifest WriteStandIn(string dir, string protocol, StandInSize size, ulong seed, IProgress<(int, int)>? progress)
    {
        var recipe = new MosiStandInRecipe { Train = 2 * size.TrainPerClass, Valid = 2 * size.TestPerClass, Test = 2 * size.TestPerClass, Seed = seed };
        var labels = MosiStandIn.Write(dir, recipe, progress);
        return new DatasetManifest
        {
            Dataset = Id, Protocol = "mult",
            Source = $"repro synth mosi (seed {seed}, recipe v{MosiStandInRecipe.Version}): a generated stand-in in the layout of MulT's mosi_data.pkl; not real data",
            Licence = Generated,
            Layout = Layout,
            Splits = labels.ToDictionary(kv => kv.Key, kv => new DatasetManifest.SplitManifest(MosiDataset.FeatureFile, kv.Value.Length, Histogram(kv.Value, 2))),
            Classes = MosiDataset.ClassNames,
            Options = ShapeOptions(recipe.Steps, recipe.Dims[0], recipe.Dims[1], recipe.Dims[2]),
            Preprocessing = Preprocessing,
        };
    }

    public static Dictionary<string, string> ShapeOptions(int steps, int audio, int visual, int text) => new()
    {
        [Modalities.Audio] = $"{steps}x{audio}", [Modalities.Visual] = $"{steps}x{visual}", [Modalities.Text] = $"{steps}x{text}",
    };

    public static Dictionary<string, string> Layout => new()
    {
        ["features"] = $"{MosiDataset.FeatureFile}: pickled dict train / valid / test, each a dict of NumPy arrays text (N, 50, 300), audio (N, 50, 5), vision (N, 50, 20), labels (N, 1, 1) and id (N, 3)",
    };

    public static readonly string[] Preprocessing =
    [
        "audio -inf set to 0 (MulT, MMSA)",
        "each modality averaged over the clip's non-padding steps (DGL: one frame per video)",
        "label: score > 0 positive, otherwise negative (dataset setting label=nonnegative: score >= 0)",
    ];
}
