using Repro.Data.Audio;
using static TorchSharp.torch;

namespace Repro.Data.VggSound;

/// <summary>
/// VGGSound in DGL's layout (docs/datasets.md#vggsound): the published <c>vggsound.csv</c> in the root names every clip,
/// its label and split; a clip <c>&lt;YouTube id&gt;_&lt;start, 6 digits&gt;</c> has its 16 kHz WAV under
/// <c>audio/{train-audios/train-set,test-audios/test-set}/</c> and its 1-fps frames in the folder
/// <c>video/{train,test}-set-img/Image-01-FPS/&lt;clip&gt;.mp4/</c>. Classes: the CSV's distinct labels
/// (<see cref="VggSoundOptions.ClassOrder"/>). A listed clip without its WAV, its frame folder or at least
/// <see cref="VggSoundOptions.Frames"/> frames is missing (DGL's loader skips it unannounced): an error naming it, or
/// dropped and counted (<see cref="VggSoundOptions.MissingFiles"/>). Audio: <see cref="LogSpectrogram.Dgl(string, Rng?)"/>;
/// visual: frames of the sorted folder through the train/test image pipelines, (3, T, S, S).
/// </summary>
public sealed class VggSoundDataset : IMultimodalDataset, IPrecomputable, IListsFiles
{
    public const string FrameFolder = "Image-01-FPS";

    readonly VggSoundOptions _o;
    readonly List<(string Id, int Label, string Audio, string[] Frames)> _clips = new();
    readonly BadInputs _missing = new();
    readonly ClipReader _reader;

    public VggSoundDataset(string root, string split, VggSoundOptions? options = null)
    {
        _o = options ?? new VggSoundOptions();
        Split = split;
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"{root}: VGGSound root folder not found.");
        if (split is not ("train" or "test")) throw new ArgumentException($"Unknown VGGSound split '{split}'; expected train or test.");
        var csv = Path.Combine(root, VggSoundCsv.FileName);
        var rows = VggSoundCsv.Read(csv);
        ClassNames = _o.ClassOrder == VggSoundClassOrder.Sorted
            ? rows.Select(r => r.Label).Distinct().Order(StringComparer.Ordinal).ToArray()
            : rows.Where(r => r.Split == "train" && Check(root, r, out _, out _) is null).Select(r => r.Label).Distinct().ToArray();
        var label = ClassNames.Select((name, i) => (name, i)).ToDictionary(x => x.name, x => x.i);
        foreach (var row in rows.Where(r => r.Split == split))
        {
            var reason = Check(root, row, out var audio, out var frames);
            int y = label.GetValueOrDefault(row.Label, ListCoverage.UnknownClass);
            if (reason is null && y < 0)
                throw new InvalidDataException($"{csv}, line {row.Line}: label '{row.Label}' has no usable training clip, so the official class order (class-order=official) gives it no number.");
            if (reason is null) { _clips.Add((row.ClipId, y, audio, frames)); Coverage.Keep(row.ClipId, y); }
            else if (_o.MissingFiles == MissingFilePolicy.Error) _missing.Add(new FileNotFoundException($"{csv}, line {row.Line}: clip {row.ClipId}: {reason}."));
            else Coverage.Drop(row.ClipId, y, reason);
        }
        _missing.ThrowIfAny($"{root} (VGGSound {split})");
        if (_clips.Count == 0)
            throw EmptySplitException.For($"{root}: VGGSound split '{split}' has no usable clips{(Dropped.Count > 0 ? $" ({Dropped})" : "")}.", split, Coverage, ClassNames);
        var audioShape = _o.AudioSize is { } s ? new long[] { s.Rows, s.Cols } : [.. LogSpectrogram.DglShape];
        _reader = new ClipReader(_o.Frames, _o.FrameSelection, _o.ImageSize, audioShape, _o.AudioSize, _o.CacheAudio, _o.CacheFrames);
        Info = new DatasetInfo($"vggsound/{split}",
            [new ModalitySpec(Modalities.Audio, audioShape), new ModalitySpec(Modalities.Visual, [3, _o.Frames, _o.ImageSize, _o.ImageSize])],
            ClassNames);
    }

    /// <summary>The clip's WAV path of a split.</summary>
    public static string AudioPath(string root, string split, string clip) =>
        Path.Combine(root, "audio", $"{split}-audios", $"{split}-set", clip + ".wav");

    /// <summary>The clip's 1-fps frame folder of a split (named after the video file, <c>.mp4</c> included, as DGL's frame extraction names it).</summary>
    public static string FramePath(string root, string split, string clip) =>
        Path.Combine(root, "video", $"{split}-set-img", FrameFolder, clip + ".mp4");

    /// <summary>Why a listed clip cannot be used (null when it can): its WAV, its frame folder, or enough frames missing.</summary>
    string? Check(string root, VggSoundRow row, out string audio, out string[] frames)
    {
        audio = AudioPath(root, row.Split, row.ClipId);
        frames = [];
        var dir = FramePath(root, row.Split, row.ClipId);
        if (!File.Exists(audio)) return $"audio file {audio} not found";
        if (!Directory.Exists(dir)) return $"frame folder {dir} not found";
        frames = Directory.GetFiles(dir, "*.jpg").Order(StringComparer.Ordinal).ToArray();
        if (frames.Length < _o.Frames) return $"frame folder {dir} has {frames.Length} .jpg file(s), fewer than the {_o.Frames} frames a clip needs";
        return null;
    }

    public string Split { get; }
    public string[] ClassNames { get; }
    public DatasetInfo Info { get; }
    public int Count => _clips.Count;
    public ListCoverage Coverage { get; } = new();
    public DropReport Dropped => Coverage.Dropped;
    public int LabelOf(int index) => _clips[index].Label;
    public string NameOf(int index) => _clips[index].Id;

    public Sample Get(int index, SampleMode mode, ulong seed)
    {
        var clip = _clips[index];
        return _reader.Read(index, clip.Id, clip.Label, clip.Frames, mode, seed, rng => Audio(index, mode, rng));
    }

    /// <summary>The clip's log-STFT (a random 5 s window when training, the first 5 s when evaluating), resized when asked.</summary>
    public Tensor Audio(int index, SampleMode mode = SampleMode.Eval, Rng? rng = null) =>
        _reader.Audio(index, same: mode == SampleMode.Eval,
            () => LogSpectrogram.Dgl(_clips[index].Audio, mode == SampleMode.Eval ? null : rng ?? new Rng(0)));

    public void Precompute(IProgress<(int Done, int Total)>? progress = null) =>
        _reader.PrecomputeAudio(Count, i => Audio(i), $"VGGSound {Split} audio", progress);
}
