using System.Globalization;
using Repro.Data;
using Repro.Data.KineticsSounds;
using Repro.Data.Manifests;
using Repro.Data.Prepare;
using Repro.Models.Encoders;

namespace Repro.Experiments.Datasets;

/// <summary>Kinetics-Sounds (Data/KineticsSounds/): OGM-GE's layout (Kaldi fbank files) and DGL's (WAV files); ResNet-18 encoders.</summary>
[Dataset]
public sealed class KsDescriptor : DatasetDescriptor
{
    public override string Id => "ks";
    public override string Name => "Kinetics-Sounds";
    public override IReadOnlyList<string> Protocols => ["ogm-ge", "dgl"];
    public override IReadOnlyList<DatasetSetting> Settings => [new("audio", "fbank (default) | stft: OGM-GE's STFT pickles instead of fbank (ogm-ge layout only)")];
    public override bool ListsFiles => true;
    public override Action<DataPreparer> Prepare => p => p.Ks();

    static KsProtocol Named(string protocol) => protocol == "dgl" ? KsProtocol.Dgl : KsProtocol.OgmGe;

    public override OpenedDataset Open(DatasetRef id, string protocol, string root, Profile profile, DatasetManifest? local)
    {
        var options = Options(local, profile);
        var p = Named(protocol);
        switch (id.Get("audio"))
        {
            case null or "fbank": break;
            case "stft" when p == KsProtocol.OgmGe: options = options with { AudioFeature = KsAudioFeature.Stft, AudioSize = profile.SpectrogramSize is { } sz ? (sz.Freq, sz.Time) : null }; break;
            case var v: throw new ArgumentException($"Dataset setting audio={v}: expected fbank or stft (stft: OGM-GE layout only).");
        }
        if (p == KsProtocol.Dgl && profile.FbankSize is { } f) options = options with { AudioSize = (f.Bins, f.Frames) };
        options = options with { MissingFiles = MissingFilePolicy.Drop };   // counted; Splits applies the id's policy
        var (train, test) = Splits(id, root, s => new KsDataset(root, s, p, options));
        return Opened(train, test, m => m switch
        {
            Modalities.Audio => new ResNet18(1, frames: false, profile.EncoderWidth),
            Modalities.Visual => new ResNet18(3, frames: true, profile.EncoderWidth),
            _ => throw new ArgumentException($"Kinetics-Sounds has no modality '{m}'."),
        });
    }

    public override IMultimodalDataset OpenSplit(DatasetManifest m, string root, string split, MissingFilePolicy missing = MissingFilePolicy.Error) =>
        new KsDataset(root, split, Named(m.Protocol), Options(m, Profile.Smoke, m.NumClasses) with { CacheAudio = false, AudioSize = null, MissingFiles = missing });

    static KsOptions Options(DatasetManifest? m, Profile profile, int numClasses = 31) => new()
    {
        ImageSize = profile.ImageSize,
        CacheFrames = profile.CacheFrames,
        FbankFrames = int.Parse(m?.Option("fbankFrames", "1024") ?? "1024", CultureInfo.InvariantCulture),
        NumClasses = int.Parse(m?.Option("numClasses", numClasses.ToString()) ?? "31", CultureInfo.InvariantCulture),
        AudioSize = profile.FbankSize is { } f ? (f.Frames, f.Bins) : null,
    };

    public override DatasetManifest WriteStandIn(string dir, string protocolName, StandInSize size, ulong seed, IProgress<(int, int)>? progress)
    {
        var protocol = Named(protocolName);
        var recipe = new KsStandInRecipe { TrainPerClass = size.TrainPerClass, TestPerClass = size.TestPerClass, Seed = seed, Protocol = protocol };
        var written = KsStandIn.Write(dir, recipe, progress);
        int k = KsStandIn.Classes.Length;
        bool ogm = protocol == KsProtocol.OgmGe;
        return new DatasetManifest
        {
            Dataset = Id, Protocol = protocolName,
            Source = $"repro synth ks --protocol {protocolName} (seed {seed}): a generated stand-in in the {protocolName} Kinetics-Sounds layout; not real data",
            Licence = Generated,
            Layout = ogm
                ? new()
                {
                    ["audio"] = $"{KsDataset.FbankFolder}/<clip>.npy: Kaldi fbank ({recipe.FbankFrames}, 128) float32, raw",
                    ["visual"] = $"{KsDataset.FrameFolder}/<clip>/NNNNN.jpg (1 fps)",
                    ["train"] = "my_train.txt: lines clip,10,label", ["test"] = "my_test.txt: lines clip,10,label",
                    ["classes"] = "classes.txt: class names in label order",
                }
                : new()
                {
                    ["audio"] = "audio/{train,val}/<class>/<clip>.wav (16 kHz mono)",
                    ["visual"] = "visual/{train,val}_img/Image-01-FPS/<class>/<clip>/NNNNN.jpg",
                    ["classes"] = "classes.txt: class names in label order",
                },
            Splits = new()
            {
                ["train"] = new(ogm ? "my_train.txt" : "audio/train", written["train"].Count, Histogram(written["train"].Select(x => x.Label), k)),
                ["test"] = new(ogm ? "my_test.txt" : "audio/val", written["test"].Count, Histogram(written["test"].Select(x => x.Label), k)),
            },
            Classes = KsStandIn.Classes,
            ClassesFile = KsDataset.ClassesFile,
            ClassCount = k,
            Options = ogm ? new() { ["fbankFrames"] = recipe.FbankFrames.ToString(), ["numClasses"] = k.ToString() } : new(),
            Arrays = ogm ? [new($"{KsDataset.FbankFolder}/*.npy", [recipe.FbankFrames, 128])] : [],
            Preprocessing = ogm
                ? ["audio: Kaldi fbank (128 mel, 25/10 ms, hanning, htk_compat, waveform mean removed) padded/cropped to the frame count; the loader applies OGM-GE's normalisation"]
                : ["audio (on the fly): 16 kHz, tiled to 10 s, 5 s window (random when training), log-STFT n_fft 256 hop 128 -> 129 x 626"],
        };
    }
}
