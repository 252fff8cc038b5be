using System.Globalization;
using Repro.Data;
using Repro.Data.CremaD;
using Repro.Data.Food101;
using Repro.Data.Iemocap;
using Repro.Data.KineticsSounds;
using Repro.Data.Manifests;
using Repro.Data.Missing;
using Repro.Data.MmImdb;
using Repro.Data.Text;
using Repro.Models.Encoders;

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
    public static readonly string[] Ids = ["cremad", "ks", "food101", "mmimdb", "iemocap"];

    /// <summary>Dataset setting choosing another seeded draw of the stand-in (default 0), e.g. the separate split U2A's encoders are pretrained on.</summary>
    public const string StandInSeed = "standin-seed";

    /// <summary>Test-split-only settings: a MAP table (type/eta) and a modality every test sample lacks.</summary>
    public const string TestMissing = "test-missing", TestAbsent = "test-absent";

    public static OpenedDataset Open(string id, string? dataRoot, Profile profile, string resultsRoot, IProgress<(int Done, int Total)>? progress = null)
    {
        var r = DatasetRef.Parse(id);
        if (!Ids.Contains(r.Id)) throw new ArgumentException($"Unknown dataset '{r.Id}'; known: {string.Join(", ", Ids)}.");
        var protocol = StandIns.CheckProtocol(r.Id, r.Protocol);
        bool standIn = dataRoot is null;
        int standInSeed = r.Int(StandInSeed, 0);
        if (!standIn && r.Get(StandInSeed) is not null)
            throw new ArgumentException($"Dataset {id}: the setting {StandInSeed} chooses a draw of the generated stand-in; it has no meaning with --data {dataRoot}.");
        var full = r;
        r = r with { Settings = r.Settings.Where(kv => kv.Key is not (StandInSeed or TestMissing or TestAbsent)).ToDictionary() };
        var root = dataRoot ?? StandIns.Ensure(resultsRoot, r.Id, protocol, new StandInSize(profile.StandInTrainPerClass, profile.StandInTestPerClass), (ulong)standInSeed, progress);
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"{root}: {r.Id} root folder not found (--data).");
        var manifestPath = Path.Combine(root, DatasetManifest.FileName);
        var local = File.Exists(manifestPath) ? DatasetManifest.Load(manifestPath) : null;
        if (local is not null && (local.Dataset != r.Id || local.Protocol != protocol)) local = null;
        var opened = r.Id switch
        {
            "cremad" => CremaD(r, protocol, root, profile, local),
            "ks" => Ks(r, protocol, root, profile, local),
            "food101" => Food101(r, protocol, root, profile),
            "mmimdb" => MmImdb(r, root, profile),
            "iemocap" => Iemocap(r, root, profile),
            _ => throw new InvalidOperationException(),
        };
        opened = opened with { Id = id, Protocol = protocol, Root = root, IsStandIn = standIn };
        return ApplyMissing(full, opened, resultsRoot);
    }

    /// <summary>Opens one split of a manifest's dataset on a root in strict mode, with the manifest's options (for `repro data verify`).</summary>
    public static IMultimodalDataset OpenSplit(DatasetManifest m, string root, string split)
    {
        var small = Profile.Smoke;
        switch (m.Dataset)
        {
            case "cremad":
            {
                var p = CremaDProtocol.Named(m.Protocol);
                return new CremaDDataset(root, split, p, CremaDOptionsFor(p, m, small) with { CacheAudio = false });
            }
            case "ks":
                return new KsDataset(root, split, m.Protocol == "dgl" ? KsProtocol.Dgl : KsProtocol.OgmGe, KsOptionsFor(m, small, m.NumClasses) with { CacheAudio = false, AudioSize = null });
            case "food101":
                return new Food101Dataset(root, split, m.Protocol, new ImageTextOptions { ImageSize = 32, TextLength = 16 });
            case "mmimdb":
                return new MmImdbDataset(root, split, new ImageTextOptions { ImageSize = 32, TextLength = 16 }, m.Option("plots", "all") == "longest" ? PlotSelection.Longest : PlotSelection.All);
            case "iemocap":
                if (split.StartsWith("session") && int.TryParse(split["session".Length..], out var s)) return new IemocapDataset(root, "test", s);
                return new IemocapDataset(root, split);
            default:
                throw new ArgumentException($"{m.Dataset}: no loader for this dataset; known: {string.Join(", ", Ids)}.");
        }
    }

    static CremaDOptions CremaDOptionsFor(CremaDProtocol p, DatasetManifest? m, Profile profile)
    {
        bool mla = p == CremaDProtocol.Mla;
        int fbankFrames = int.Parse(m?.Option("fbankFrames", "1024") ?? "1024", CultureInfo.InvariantCulture);
        return new CremaDOptions
        {
            ImageSize = profile.ImageSize,
            SpectrogramSize = mla ? profile.FbankSize is { } f ? (f.Frames, f.Bins) : null : profile.SpectrogramSize,
            CacheFrames = profile.CacheFrames,
            Frames = mla ? 3 : 1,
            FrameSelection = mla ? FrameSelection.Uniform : FrameSelection.First,
            FbankFrames = fbankFrames,
        };
    }

    static KsOptions KsOptionsFor(DatasetManifest? m, Profile profile, int numClasses = 31) => new()
    {
        ImageSize = profile.ImageSize,
        CacheFrames = profile.CacheFrames,
        FbankFrames = int.Parse(m?.Option("fbankFrames", "1024") ?? "1024", CultureInfo.InvariantCulture),
        NumClasses = int.Parse(m?.Option("numClasses", numClasses.ToString()) ?? "31", CultureInfo.InvariantCulture),
        AudioSize = profile.FbankSize is { } f ? (f.Frames, f.Bins) : null,
    };

    static OpenedDataset CremaD(DatasetRef r, string protocolName, string root, Profile profile, DatasetManifest? local)
    {
        r.Allow("missing-rate", "missing-seed", "missing-train");
        var protocol = CremaDProtocol.Named(protocolName);
        var options = CremaDOptionsFor(protocol, local, profile);
        var train = new CremaDDataset(root, "train", protocol, options);
        var test = new CremaDDataset(root, "test", protocol, options);
        return Opened(train, test, train.Dropped, test.Dropped, m => m switch
        {
            Modalities.Audio => new ResNet18(1, frames: false, profile.EncoderWidth),
            Modalities.Visual => new ResNet18(3, frames: true, profile.EncoderWidth),
            _ => throw new ArgumentException($"CREMA-D has no modality '{m}'."),
        });
    }

    static OpenedDataset Ks(DatasetRef r, string protocol, string root, Profile profile, DatasetManifest? local)
    {
        r.Allow("missing-rate", "missing-seed", "missing-train", "audio");
        var options = KsOptionsFor(local, profile);
        var p = protocol == "dgl" ? KsProtocol.Dgl : KsProtocol.OgmGe;
        switch (r.Get("audio"))
        {
            case null or "fbank": break;
            case "stft" when p == KsProtocol.OgmGe: options = options with { AudioFeature = KsAudioFeature.Stft, AudioSize = profile.SpectrogramSize is { } sz ? (sz.Freq, sz.Time) : null }; break;
            case var v: throw new ArgumentException($"Dataset setting audio={v}: expected fbank or stft (stft: OGM-GE layout only).");
        }
        if (p == KsProtocol.Dgl && profile.FbankSize is { } f) options = options with { AudioSize = (f.Bins, f.Frames) };
        var train = new KsDataset(root, "train", p, options);
        var test = new KsDataset(root, "test", p, options);
        return Opened(train, test, train.Dropped, test.Dropped, m => m switch
        {
            Modalities.Audio => new ResNet18(1, frames: false, profile.EncoderWidth),
            Modalities.Visual => new ResNet18(3, frames: true, profile.EncoderWidth),
            _ => throw new ArgumentException($"Kinetics-Sounds has no modality '{m}'."),
        });
    }

    static ImageTextOptions TextOptions(DatasetRef r, Profile profile, int protocolLength) => new()
    {
        ImageSize = profile.ImageSize,
        TextLength = profile.TextLength ?? protocolLength,
        VocabPath = r.Get("vocab"),
        CacheImages = profile.CacheFrames,
    };


    static Func<string, TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>> ImageText(Profile profile, int vocab, string name) => m => m switch
    {
        Modalities.Image => new ResNet18(3, frames: false, profile.EncoderWidth),
        Modalities.Text => new TokenMeanPool(vocab, profile.TextEmbedding, profile.TextEmbedding, 8 * profile.EncoderWidth),
        _ => throw new ArgumentException($"{name} has no modality '{m}'."),
    };

    static OpenedDataset Food101(DatasetRef r, string protocol, string root, Profile profile)
    {
        r.Allow("vocab", "missing", "missing-seed", "missing-rate", "missing-train");
        var o = TextOptions(r, profile, 40);
        var train = new Food101Dataset(root, "train", protocol, o);
        var test = new Food101Dataset(root, "test", protocol, o);
        return Opened(train, test, train.Dropped, test.Dropped, ImageText(profile, train.Tokenizer.VocabSize, "Food-101"));
    }

    static OpenedDataset MmImdb(DatasetRef r, string root, Profile profile)
    {
        r.Allow("vocab", "plots", "unknown-genres", "missing", "missing-seed", "missing-rate", "missing-train");
        var o = TextOptions(r, profile, 256);
        var plots = r.Get("plots") switch
        {
            null or "all" => PlotSelection.All,
            "longest" => PlotSelection.Longest,
            var v => throw new ArgumentException($"Dataset setting plots={v}: expected all or longest."),
        };
        bool ignore = r.Get("unknown-genres") switch
        {
            null or "error" => false,
            "ignore" => true,
            var v => throw new ArgumentException($"Dataset setting unknown-genres={v}: expected error or ignore."),
        };
        var train = new MmImdbDataset(root, "train", o, plots, ignore);
        var test = new MmImdbDataset(root, "test", o, plots, ignore);
        var opened = Opened(train, test, train.Dropped, test.Dropped, ImageText(profile, train.Tokenizer.VocabSize, "MM-IMDb"));
        return opened with { SelectionMetric = "f1_macro" };
    }

    static OpenedDataset Iemocap(DatasetRef r, string root, Profile profile)
    {
        r.Allow("fold", "missing-rate", "missing-seed", "missing-train");
        int fold = r.Int("fold", 5);
        var train = new IemocapDataset(root, "train", fold);
        var test = new IemocapDataset(root, "test", fold);
        return Opened(train, test, train.Dropped, test.Dropped, m => new FeatureMlp(train.Info.Modality(m).Shape[0], profile.FeatureHidden, profile.FeatureHidden));
    }

    static OpenedDataset Opened(IMultimodalDataset train, IMultimodalDataset test, DropReport a, DropReport b,
        Func<string, TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>> encoders)
    {
        var dropped = new DropReport();
        foreach (var d in a.Dropped.Concat(b.Dropped)) dropped.Add(d.Id, d.Reason);
        return new OpenedDataset
        {
            Id = "", Protocol = "", Root = "", IsStandIn = false,
            Train = train, Test = test, Dropped = dropped, BuildEncoder = encoders,
        };
    }

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
        var testMap = r.Get(TestMissing);
        var testAbsent = r.Get(TestAbsent);
        int chosen = new[] { cpm is not null, map is not null, dropTrain is not null, testMap is not null, testAbsent is not null }.Count(x => x);
        if (chosen == 0) return d;
        if (chosen > 1)
            throw new ArgumentException($"Dataset {r.Id}: choose one of missing-rate (CPM-Net), missing (MAP table), missing-train (training fraction), {TestMissing} and {TestAbsent}.");
        ulong seed = (ulong)r.Int("missing-seed", 0);
        var modalities = d.Info.ModalityNames.ToArray();
        if (testAbsent is not null)
        {
            if (!modalities.Contains(testAbsent))
                throw new ArgumentException($"Dataset setting {TestAbsent}={testAbsent}: {r.Id} has modalities {string.Join(", ", modalities)}.");
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

    // ---- CREMA-D stand-in (kept for callers of the first version) ----

    public static CremaDStandInRecipe StandInRecipe(Profile profile) => new()
    {
        TrainPerClass = profile.StandInTrainPerClass,
        TestPerClass = profile.StandInTestPerClass,
    };

    /// <summary>The CREMA-D (OGM-GE) stand-in's folder for a recipe, written (atomically, as a whole folder) when absent.</summary>
    public static string EnsureCremaDStandIn(string resultsRoot, CremaDStandInRecipe recipe, IProgress<(int, int)>? progress = null) =>
        StandIns.Ensure(resultsRoot, "cremad", "ogm-ge", new StandInSize(recipe.TrainPerClass, recipe.TestPerClass), recipe.Seed, progress);

    /// <summary>Writes the CREMA-D (OGM-GE) stand-in and its manifest (counts, class order, checksums) into an empty folder.</summary>
    public static DatasetManifest WriteCremaDStandIn(string dir, CremaDStandInRecipe recipe, IProgress<(int, int)>? progress = null)
    {
        var protocol = CremaDProtocol.OgmGe;
        var (train, test) = CremaDStandIn.Write(dir, recipe, protocol, progress);
        int[] Counts(List<string> names) => protocol.ClassCodes.Select(c => names.Count(n => n.Split('_')[2] == c)).ToArray();
        var manifest = new DatasetManifest
        {
            Dataset = "cremad",
            Protocol = protocol.Name,
            Source = $"repro synth cremad (seed {recipe.Seed}): a generated stand-in in CREMA-D's layout; not real data",
            Licence = "generated by the kit; no restrictions",
            Layout = new()
            {
                ["audio"] = $"{protocol.AudioFolder}/<name>.wav (RIFF PCM 16-bit mono, {recipe.SampleRate} Hz)",
                ["visual"] = $"{protocol.FrameFolder}/<name>/NNNNN.jpg (1 fps)",
                ["train"] = $"{protocol.TrainList}: lines name,LABEL (UTF-8 BOM, no header)",
                ["test"] = $"{protocol.TestList}: lines name,LABEL (UTF-8 BOM, no header)",
            },
            Splits = new()
            {
                ["train"] = new(protocol.TrainList, train.Count, Counts(train)),
                ["test"] = new(protocol.TestList, test.Count, Counts(test)),
            },
            Classes = protocol.ClassCodes,
            Preprocessing = ["audio: resample to 22,050 Hz, tile to 3 s, STFT n_fft 512 hop 353, log(|S|+1e-7)", "visual: RandomResizedCrop+flip (train) / Resize (test), ImageNet normalisation"],
            Files = DatasetManifest.HashTree(dir),
        };
        manifest.Save(Path.Combine(dir, DatasetManifest.FileName));
        return manifest;
    }
}
