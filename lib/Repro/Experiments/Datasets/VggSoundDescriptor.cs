using Repro.Data;
using Repro.Data.Manifests;
using Repro.Data.Prepare;
using Repro.Data.VggSound;
using Repro.Models.Encoders;

namespace Repro.Experiments.Datasets;

/// <summary>VGGSound (Data/VggSound/) in DGL's layout: the published CSV, 16 kHz WAVs, 1-fps frame folders; ResNet-18 encoders.</summary>
[Dataset]
public sealed class VggSoundDescriptor : DatasetDescriptor
{
    public const string ClassOrderSetting = "class-order";

    public override string Id => "vggsound";
    public override string Name => "VGGSound";
    public override IReadOnlyList<string> Protocols => ["dgl"];
    public override IReadOnlyList<DatasetSetting> Settings =>
        [new(ClassOrderSetting, "sorted (default: the CSV's labels in ordinal order) | official: OGM-GE's and DGL's order, each label where its first usable training clip is listed")];
    public override bool ListsFiles => true;
    public override Action<DataPreparer> Prepare => p => p.VggSound();

    static VggSoundClassOrder ClassOrder(DatasetRef id) => id.Get(ClassOrderSetting) switch
    {
        null or "sorted" => VggSoundClassOrder.Sorted,
        "official" => VggSoundClassOrder.Official,
        var v => throw new ArgumentException($"Dataset setting {ClassOrderSetting}={v}: expected sorted or official."),
    };

    public override OpenedDataset Open(DatasetRef id, string protocol, string root, Profile profile, DatasetManifest? local)
    {
        var options = new VggSoundOptions
        {
            ImageSize = profile.ImageSize,
            CacheFrames = profile.CacheFrames,
            ClassOrder = ClassOrder(id),
            // the CPU profiles shrink the 129 x 626 spectrogram as they do Kinetics-Sounds' in DGL's setting
            AudioSize = profile.FbankSize is { } f ? (f.Bins, f.Frames) : null,
            MissingFiles = MissingFilePolicy.Drop,   // counted; Splits applies the id's policy
        };
        var (train, test) = Splits(id, root, s => new VggSoundDataset(root, s, options));
        return Opened(train, test, m => m switch
        {
            Modalities.Audio => new ResNet18(1, frames: false, profile.EncoderWidth),
            Modalities.Visual => new ResNet18(3, frames: true, profile.EncoderWidth),
            _ => throw new ArgumentException($"VGGSound has no modality '{m}'."),
        });
    }

    /// <summary>A split with small images and the manifest's class list checked against the CSV's.</summary>
    public override IMultimodalDataset OpenSplit(DatasetManifest m, string root, string split, MissingFilePolicy missing = MissingFilePolicy.Error)
    {
        var ds = new VggSoundDataset(root, split, new VggSoundOptions { ImageSize = Profile.Smoke.ImageSize, CacheAudio = false, MissingFiles = missing });
        if (m.Classes.Length > 0 && !m.Classes.SequenceEqual(ds.ClassNames))
        {
            var extra = ds.ClassNames.Except(m.Classes).Take(5).ToArray();
            var absent = m.Classes.Except(ds.ClassNames).Take(5).ToArray();
            throw new InvalidDataException($"{Path.Combine(root, VggSoundCsv.FileName)}: {ds.ClassNames.Length} distinct labels, the manifest names {m.Classes.Length}" +
                                           (extra.Length > 0 ? $"; not in the manifest: {string.Join(", ", extra.Select(n => $"'{n}'"))}" : "") +
                                           (absent.Length > 0 ? $"; not in the CSV: {string.Join(", ", absent.Select(n => $"'{n}'"))}" : "") + ".");
        }
        return ds;
    }

    public override DatasetManifest WriteStandIn(string dir, string protocolName, StandInSize size, ulong seed, IProgress<(int, int)>? progress)
    {
        var written = VggSoundStandIn.Write(dir, new VggSoundStandInRecipe { TrainPerClass = size.TrainPerClass, TestPerClass = size.TestPerClass, Seed = seed }, progress);
        var sorted = VggSoundStandIn.Classes.Order(StringComparer.Ordinal).ToArray();
        int[] Counts(string split) => Histogram(written[split].Select(x => Array.IndexOf(sorted, VggSoundStandIn.Classes[x.Class])), sorted.Length);
        return new DatasetManifest
        {
            Dataset = Id, Protocol = protocolName,
            Source = $"repro synth vggsound (seed {seed}): a generated stand-in in DGL's VGGSound layout with {sorted.Length} of VGGSound's 309 labels; not real data",
            Licence = Generated,
            Layout = Layout,
            Splits = new()
            {
                ["train"] = new($"{VggSoundCsv.FileName} (train rows)", written["train"].Count, Counts("train")),
                ["test"] = new($"{VggSoundCsv.FileName} (test rows)", written["test"].Count, Counts("test")),
            },
            Classes = sorted,
            Preprocessing = Preprocessing,
        };
    }

    /// <summary>The layout the loader reads (also in data-manifests/vggsound-dgl.json).</summary>
    public static Dictionary<string, string> Layout => new()
    {
        ["list"] = $"{VggSoundCsv.FileName}: no header, lines `YouTube id,start second,label,train|test`; clip = <YouTube id>_<start, 6 digits>",
        ["audio"] = "audio/train-audios/train-set/<clip>.wav, audio/test-audios/test-set/<clip>.wav (16 kHz mono)",
        ["visual"] = $"video/train-set-img/{VggSoundDataset.FrameFolder}/<clip>.mp4/NNNNN.jpg, video/test-set-img/{VggSoundDataset.FrameFolder}/<clip>.mp4/NNNNN.jpg (1 fps)",
    };

    static string[] Preprocessing =>
    [
        "classes: the CSV's distinct labels in ordinal order (class-order=official: where each label's first usable training clip is listed)",
        "audio (on the fly): 16 kHz, tiled to at least 10 s, a 5 s window (random start when training, the first 5 s when evaluating), log(|STFT| + 1e-7) n_fft 256 hop 128: 129 x 626",
        "visual: 3 frames evenly spaced in the sorted folder, 224, ImageNet normalisation; a clip with fewer than 3 frames cannot be used",
    ];
}
