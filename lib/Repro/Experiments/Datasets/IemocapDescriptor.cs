using Repro.Data;
using Repro.Data.Iemocap;
using Repro.Data.Manifests;
using Repro.Data.Prepare;
using Repro.Models.Encoders;

namespace Repro.Experiments.Datasets;

/// <summary>IEMOCAP (Data/Iemocap/): GCNet's four-class utterance features (audio, visual, text), leave-one-session-out folds.</summary>
[Dataset]
public sealed class IemocapDescriptor : DatasetDescriptor
{
    public override string Id => "iemocap";
    public override string Name => "IEMOCAP";
    public override IReadOnlyList<string> Protocols => ["gcnet-iemocap4"];
    public override IReadOnlyList<DatasetSetting> Settings => [new("fold", "1-5: the session tested on, the other four trained on (default 5)")];
    public override int StandInVersion => IemocapStandInRecipe.Version;
    public override bool ListsFiles => true;
    public override Action<DataPreparer> Prepare => p => p.LinkTree();

    public override OpenedDataset Open(DatasetRef id, string protocol, string root, Profile profile, DatasetManifest? local)
    {
        int fold = id.Int("fold", 5);
        var (train, test) = Splits(id, root, s => new IemocapDataset(root, s, fold, MissingFilePolicy.Drop));   // counted; Splits applies the id's policy
        return Opened(train, test, m => new FeatureMlp(train.Info.Modality(m).Shape[0], profile.FeatureHidden, profile.FeatureHidden));
    }

    public override IMultimodalDataset OpenSplit(DatasetManifest m, string root, string split, MissingFilePolicy missing = MissingFilePolicy.Error) =>
        split.StartsWith("session") && int.TryParse(split["session".Length..], out var s) ? new IemocapDataset(root, "test", s, missing) : new IemocapDataset(root, split, missingFiles: missing);

    public override DatasetManifest WriteStandIn(string dir, string protocol, StandInSize size, ulong seed, IProgress<(int, int)>? progress)
    {
        var recipe = new IemocapStandInRecipe { PerClassPerSession = Math.Max(3, (size.TrainPerClass + size.TestPerClass) / 5), Seed = seed };
        var utts = IemocapStandIn.Write(dir, recipe, progress);
        var splits = new Dictionary<string, DatasetManifest.SplitManifest>();
        for (int s = 1; s <= 5; s++)
        {
            var inSession = utts.Where(u => u.Session == s).ToList();
            splits[$"session{s}"] = new(IemocapDataset.LabelFile, inSession.Count, Histogram(inSession.Select(u => u.Label), 4));
        }
        return new DatasetManifest
        {
            Dataset = Id, Protocol = "gcnet-iemocap4",
            Source = $"repro synth iemocap (seed {seed}, recipe v{IemocapStandInRecipe.Version}): a generated stand-in in GCNet's IEMOCAP feature layout; not real data",
            Licence = Generated,
            Layout = new()
            {
                ["labels"] = $"{IemocapDataset.LabelFile}: pickled (videoIDs, videoLabels, videoSpeakers, videoSentences, trainVid, testVid)",
                ["audio"] = $"{IemocapDataset.AudioFolder}/<utt>.npy ({recipe.Dims[0]})",
                ["visual"] = $"{IemocapDataset.VisualFolder}/<utt>/compress_{{F,M}}.npy ({recipe.Dims[1]})",
                ["text"] = $"{IemocapDataset.TextFolder}/<utt>.npy ({recipe.Dims[2]})",
            },
            Splits = splits,
            Classes = IemocapDataset.ClassNames,
            Options = new() { ["folds"] = "leave-one-session-out: fold k tests on session k" },
            Arrays = [new($"{IemocapDataset.AudioFolder}/*.npy", [recipe.Dims[0]]), new($"{IemocapDataset.TextFolder}/*.npy", [recipe.Dims[2]]),
                      new($"{IemocapDataset.VisualFolder}/*/*.npy", [recipe.Dims[1]])],
            Preprocessing = ["features as stored (utterance level); visual = mean of the face files; a CPM-Net mask (missing-rate) may be applied per split"],
        };
    }
}
