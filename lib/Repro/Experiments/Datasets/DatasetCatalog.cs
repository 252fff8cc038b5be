using System.Globalization;
using Repro.Data;
using Repro.Data.Manifests;
using Repro.Data.Missing;
using Repro.Data.MmImdb;

namespace Repro.Experiments.Datasets;

/// <summary>
/// Opens a dataset by id (<see cref="DatasetRef"/>: <c>id[:protocol][:key=value]...</c>) for a profile: the user's data
/// when a root is given, otherwise the embedded stand-in, generated once (seeded) under the results folder and then
/// reused. Both go through the same loader. A root holding a <c>manifest.json</c> of the same dataset and protocol
/// (a stand-in written by `repro synth`) supplies its loader options (frame counts and the like).
/// Missing-modality settings apply a saved mask to both splits (CPM-Net rate, MAP table), shared by every run under
/// <c>&lt;results&gt;/masks/</c>.
/// </summary>
public static class DatasetCatalog
{
    public static OpenedDataset Open(string id, string? dataRoot, Profile profile, string resultsRoot, IProgress<(int Done, int Total)>? progress = null)
    {
        var r = DatasetRegistry.Check(id);
        var descriptor = DatasetRegistry.Get(r.Id);
        var protocol = DatasetRegistry.Protocol(r.Id, r.Protocol);
        bool standIn = dataRoot is null;
        int standInSeed = r.Int(DatasetSetting.StandInSeed, 0);
        if (!standIn && r.Get(DatasetSetting.StandInSeed) is not null)
            throw new ArgumentException($"Dataset {id}: the setting {DatasetSetting.StandInSeed} chooses a draw of the generated stand-in; it has no meaning with --data {dataRoot}.");
        var root = dataRoot ?? StandIns.Ensure(resultsRoot, r.Id, protocol, new StandInSize(profile.StandInTrainPerClass, profile.StandInTestPerClass), (ulong)standInSeed, progress);
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"{root}: {r.Id} root folder not found (--data).");
        var manifestPath = Path.Combine(root, DatasetManifest.FileName);
        var local = File.Exists(manifestPath) ? DatasetManifest.Load(manifestPath) : null;
        if (local is not null && (local.Dataset != r.Id || local.Protocol != protocol)) local = null;
        var opened = descriptor.Open(r, protocol, root, profile, local) with
        {
            Id = id, Protocol = protocol, Root = root, IsStandIn = standIn, MissingFiles = descriptor.ListsFiles ? MissingFiles.PolicyOf(r) : MissingFilePolicy.Error,
        };
        return ApplyMissing(r, opened, resultsRoot);
    }

    /// <summary>
    /// Opens one split of a manifest's dataset on a root (for `repro data verify`): in strict mode, or with missing files
    /// dropped and counted (<see cref="IListsFiles"/>) for `--allow-missing`.
    /// </summary>
    public static IMultimodalDataset OpenSplit(DatasetManifest m, string root, string split, MissingFilePolicy missing = MissingFilePolicy.Error) =>
        DatasetRegistry.Get(m.Dataset).OpenSplit(m, root, split, missing);

    /// <summary>
    /// missing-rate=eta: a CPM-Net mask per split (MLA Table 2); missing=type/eta: MAP tables per split (text, image or both);
    /// missing-train=modality/fraction: that fraction of the TRAINING samples lose the modality, the test split stays
    /// complete (MLA Figure 2; "video" names the visual modality).
    /// Test split only, the model trained on complete data (U2A Figure 2, Table 4): test-missing=type/eta (a MAP table) or
    /// test-absent=modality (every test sample lacks it).
    /// Masks are saved under &lt;results&gt;/masks/ (keyed by dataset, root, split and parameters) and reused by every run.
    /// </summary>
    static OpenedDataset ApplyMissing(DatasetRef r, OpenedDataset d, string resultsRoot)
    {
        var cpm = r.Double("missing-rate");
        var map = r.Get("missing");
        var dropTrain = r.Get("missing-train");
        var testMap = r.Get(DatasetSetting.TestMissing);
        var testAbsent = r.Get(DatasetSetting.TestAbsent);
        int chosen = new[] { cpm is not null, map is not null, dropTrain is not null, testMap is not null, testAbsent is not null }.Count(x => x);
        if (chosen == 0) return d;
        if (chosen > 1)
            throw new ArgumentException($"Dataset {r.Id}: choose one of missing-rate (CPM-Net), missing (MAP table), missing-train (training fraction), {DatasetSetting.TestMissing} and {DatasetSetting.TestAbsent}.");
        ulong seed = (ulong)r.Int("missing-seed", 0);
        var modalities = d.Info.ModalityNames.ToArray();
        if (testAbsent is not null)
        {
            if (!modalities.Contains(testAbsent))
                throw new ArgumentException($"Dataset setting {DatasetSetting.TestAbsent}={testAbsent}: {r.Id} has modalities {string.Join(", ", modalities)}.");
            var kept = new bool[d.Test.Count, modalities.Length];
            for (int i = 0; i < d.Test.Count; i++) for (int v = 0; v < modalities.Length; v++) kept[i, v] = modalities[v] != testAbsent;
            return d with { Test = new MaskedDataset(d.Test, new ModalityMask(modalities, kept) { Protocol = $"{testAbsent} absent at test" }) };
        }
        var rootKey = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Path.GetFullPath(d.Root))))[..10];
        var dir = Path.Combine(resultsRoot, "masks", $"{r.Id}-{d.Protocol}-{rootKey}");
        IMultimodalDataset Masked(IMultimodalDataset split, string name, string? map)
        {
            // one mask per split, drawn independently (GCNet: trn/val/tst separately; MAP: per split file)
            ulong splitSeed = Rng.Derive(seed, name == "train" ? 1 : 2);
            ModalityMask mask;
            string file;
            if (dropTrain is not null)
            {
                var (modality, fraction) = ParseDropTrain(dropTrain, modalities);
                file = Path.Combine(dir, $"{name}-drop-{modality}-{fraction.ToString(CultureInfo.InvariantCulture)}-seed{seed}.json");
                mask = ModalityMask.LoadOrCreate(file, () => ModalityMask.DropOne(modalities, split.Count, modality, fraction, splitSeed));
            }
            else if (cpm is { } eta)
            {
                file = Path.Combine(dir, $"{name}-cpm-{eta.ToString(CultureInfo.InvariantCulture)}-seed{seed}.json");
                mask = ModalityMask.LoadOrCreate(file, () => ModalityMask.Cpm(modalities, split.Count, eta, splitSeed));
            }
            else
            {
                var parts = map!.Split('/');
                if (parts.Length != 2 || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var ratio))
                    throw new ArgumentException($"Dataset setting missing={map}: expected type/ratio, e.g. both/0.7 (type text, image or both).");
                var type = parts[0] switch
                {
                    "text" => MapMissingType.Text, "image" => MapMissingType.Image, "both" => MapMissingType.Both,
                    _ => throw new ArgumentException($"Dataset setting missing={map}: type must be text, image or both."),
                };
                if (!modalities.Contains(Modalities.Image) || !modalities.Contains(Modalities.Text))
                    throw new ArgumentException($"Dataset {r.Id}: MAP missing tables need image and text modalities.");
                file = Path.Combine(dir, $"{name}-map-{parts[0]}-{ratio.ToString(CultureInfo.InvariantCulture)}-seed{seed}.json");
                mask = ModalityMask.LoadOrCreate(file, () =>
                {
                    // MM-IMDb: one flag per movie, shared by its plots (MAP base_dataset.py)
                    if (split is MmImdbDataset mm)
                    {
                        var perMovie = ModalityMask.Map(modalities, mm.Movies, type, ratio, splitSeed);
                        var kept = new bool[mm.Count, modalities.Length];
                        for (int i = 0; i < mm.Count; i++) for (int v = 0; v < modalities.Length; v++) kept[i, v] = perMovie.Kept[mm.MovieOf(i), v];
                        return new ModalityMask(modalities, kept) { Protocol = "map (per movie)", Parameters = perMovie.Parameters };
                    }
                    return ModalityMask.Map(modalities, split.Count, type, ratio, splitSeed);
                });
            }
            return new MaskedDataset(split, mask);
        }
        if (dropTrain is not null) return d with { Train = Masked(d.Train, "train", null) };
        if (testMap is not null) return d with { Test = Masked(d.Test, "test", testMap) };
        return d with { Train = Masked(d.Train, "train", map), Test = Masked(d.Test, "test", map) };
    }

    /// <summary>missing-train=modality/fraction, e.g. video/0.3 (video = the visual modality).</summary>
    static (string Modality, double Fraction) ParseDropTrain(string value, string[] modalities)
    {
        var parts = value.Split('/');
        if (parts.Length != 2 || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var fraction) || fraction is < 0 or > 1)
            throw new ArgumentException($"Dataset setting missing-train={value}: expected modality/fraction with a fraction in [0, 1], e.g. video/0.3.");
        var modality = parts[0] == "video" ? Modalities.Visual : parts[0];
        if (!modalities.Contains(modality))
            throw new ArgumentException($"Dataset setting missing-train={value}: no modality '{parts[0]}'; the dataset has {string.Join(", ", modalities)}.");
        return (modality, fraction);
    }
}
