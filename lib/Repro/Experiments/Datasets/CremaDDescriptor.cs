using System.Globalization;
using Repro.Data;
using Repro.Data.CremaD;
using Repro.Data.Manifests;
using Repro.Data.Prepare;
using Repro.Models.Encoders;

namespace Repro.Experiments.Datasets;

/// <summary>CREMA-D (Data/CremaD/): OGM-GE's protocol (1 frame, log-STFT) and MLA's (3 frames, Kaldi fbank); ResNet-18 encoders.</summary>
[Dataset]
public sealed class CremaDDescriptor : DatasetDescriptor
{
    public override string Id => "cremad";
    public override string Name => "CREMA-D";
    public override IReadOnlyList<string> Protocols => ["ogm-ge", "mla"];
    public override bool ListsFiles => true;
    public override Action<DataPreparer> Prepare => p => p.CremaD();

    /// <summary>OGM-GE's protocol keeps the folder name of the kit's first stand-in, which had no protocol in it.</summary>
    public override string StandInFolder(string protocol, StandInSize size, ulong seed) => protocol == CremaDProtocol.OgmGe.Name
        ? $"{Id}-{size.TrainPerClass}x{size.TestPerClass}-seed{seed}" : base.StandInFolder(protocol, size, seed);

    public override OpenedDataset Open(DatasetRef id, string protocol, string root, Profile profile, DatasetManifest? local)
    {
        var p = CremaDProtocol.Named(protocol);
        var options = Options(p, local, profile) with { MissingFiles = MissingFilePolicy.Drop };   // counted; Splits applies the id's policy
        var (train, test) = Splits(id, root, s => new CremaDDataset(root, s, p, options));
        return Opened(train, test, m => m switch
        {
            Modalities.Audio => new ResNet18(1, frames: false, profile.EncoderWidth),
            Modalities.Visual => new ResNet18(3, frames: true, profile.EncoderWidth),
            _ => throw new ArgumentException($"CREMA-D has no modality '{m}'."),
        });
    }

    public override IMultimodalDataset OpenSplit(DatasetManifest m, string root, string split, MissingFilePolicy missing = MissingFilePolicy.Error)
    {
        var p = CremaDProtocol.Named(m.Protocol);
        return new CremaDDataset(root, split, p, Options(p, m, Profile.Smoke) with { CacheAudio = false, MissingFiles = missing });
    }

    static CremaDOptions Options(CremaDProtocol p, DatasetManifest? m, Profile profile)
    {
        bool mla = p == CremaDProtocol.Mla;
        return new CremaDOptions
        {
            ImageSize = profile.ImageSize,
            SpectrogramSize = mla ? profile.FbankSize is { } f ? (f.Frames, f.Bins) : null : profile.SpectrogramSize,
            CacheFrames = profile.CacheFrames,
            Frames = mla ? 3 : 1,
            FrameSelection = mla ? FrameSelection.Uniform : FrameSelection.First,
            FbankFrames = int.Parse(m?.Option("fbankFrames", "1024") ?? "1024", CultureInfo.InvariantCulture),
        };
    }

    public override DatasetManifest WriteStandIn(string dir, string protocolName, StandInSize size, ulong seed, IProgress<(int, int)>? progress)
    {
        var protocol = CremaDProtocol.Named(protocolName);
        var recipe = new CremaDStandInRecipe { TrainPerClass = size.TrainPerClass, TestPerClass = size.TestPerClass, Seed = seed };
        var (train, test) = CremaDStandIn.Write(dir, recipe, protocol, progress);
        int[] Counts(List<string> names) => Enumerable.Range(0, protocol.ClassCodes.Length).Select(c => names.Count(n => n.Split('_')[2] == protocol.NameCode(c))).ToArray();
        var splits = new Dictionary<string, DatasetManifest.SplitManifest>
        {
            ["train"] = new(protocol.TrainList, train.Count, Counts(train)), ["test"] = new(protocol.TestList, test.Count, Counts(test)),
        };
        if (protocol == CremaDProtocol.OgmGe)
            return new DatasetManifest
            {
                Dataset = Id, Protocol = protocol.Name,
                Source = $"repro synth cremad (seed {seed}): a generated stand-in in CREMA-D's layout; not real data",
                Licence = Generated,
                Layout = new()
                {
                    ["audio"] = $"{protocol.AudioFolder}/<name>.wav (RIFF PCM 16-bit mono, {recipe.SampleRate} Hz)",
                    ["visual"] = $"{protocol.FrameFolder}/<name>/NNNNN.jpg (1 fps)",
                    ["train"] = $"{protocol.TrainList}: lines name,LABEL (UTF-8 BOM, no header)",
                    ["test"] = $"{protocol.TestList}: lines name,LABEL (UTF-8 BOM, no header)",
                },
                Splits = splits,
                Classes = protocol.ClassCodes,
                Preprocessing = ["audio: resample to 22,050 Hz, tile to 3 s, STFT n_fft 512 hop 353, log(|S|+1e-7)", "visual: RandomResizedCrop+flip (train) / Resize (test), ImageNet normalisation"],
            };
        return new DatasetManifest
        {
            Dataset = Id, Protocol = protocol.Name,
            Source = $"repro synth cremad --protocol mla (seed {seed}): a generated stand-in in MLA's CREMA-D layout; not real data",
            Licence = Generated,
            Layout = new()
            {
                ["audio"] = "audio/{train,test}_fbank/<name>.npy: Kaldi fbank (frames, 128) float32, raw",
                ["visual"] = "visual/{train,test}_imgs/Image-01-FPS/<name>/NNNNN.jpg (1 fps)",
                ["train"] = $"{protocol.TrainList}: lines `name.flv Label`",
                ["test"] = $"{protocol.TestList}: lines `name.flv Label`",
            },
            Splits = splits,
            Classes = protocol.ClassCodes,
            Options = new() { ["fbankFrames"] = recipe.FbankFrames.ToString(), ["frames"] = "3", ["frameSelection"] = "uniform" },
            Arrays = [new("audio/train_fbank/*.npy", [recipe.FbankFrames, 128]), new("audio/test_fbank/*.npy", [recipe.FbankFrames, 128])],
            Preprocessing = ["audio: Kaldi fbank of the 16 kHz voice (128 mel, 25/10 ms, hanning, htk_compat, waveform mean removed), padded to the frame count",
                             "visual: 3 frames at int(n/3*i) of the sorted folder; RandomResizedCrop+flip (train) / Resize (test), ImageNet normalisation"],
        };
    }
}
