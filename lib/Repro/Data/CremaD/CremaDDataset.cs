using System.Collections.Concurrent;
using System.Text;
using Repro.Data.Audio;
using Repro.Data.Images;
using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Data.CremaD;

/// <summary>
/// CREMA-D from its on-disk layout (docs/datasets.md#cremad): `&lt;root&gt;/{train,test}.csv`, `AudioWAV/&lt;name&gt;.wav`,
/// `Image-01-FPS/&lt;name&gt;/*.jpg`. Audio: the OGM-GE log-spectrogram (257x188; see <see cref="LogSpectrogram.CremaD"/>).
/// Visual: frames from the sorted folder listing, the OGM-GE train transform (RandomResizedCrop, flip) or test
/// transform (Resize), ImageNet normalisation, stacked as (3, T, S, S). Labels follow the protocol's order.
/// Every listed file is checked when the dataset is opened; problems stop with an error naming the file, or with
/// <see cref="MissingFilePolicy.Drop"/> are counted in <see cref="Dropped"/>.
/// </summary>
public sealed class CremaDDataset : IMultimodalDataset, IPrecomputable, IListsFiles
{
    readonly string _root;
    readonly CremaDOptions _options;
    readonly List<Clip> _clips = new();
    readonly ConcurrentDictionary<int, float[]> _audioCache = new();
    readonly ConcurrentDictionary<string, RgbImage> _frameCache = new();

    sealed record Clip(string Name, int Label, string Wav, string[] Frames);

    public CremaDDataset(string root, string split, CremaDProtocol? protocol = null, CremaDOptions? options = null)
    {
        Protocol = protocol ?? CremaDProtocol.OgmGe;
        _options = options ?? new CremaDOptions();
        _root = root;
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"{root}: CREMA-D root folder not found.");
        var list = split switch
        {
            "train" => Protocol.TrainList,
            "test" => Protocol.TestList,
            _ => throw new ArgumentException($"Unknown CREMA-D split '{split}'; expected train or test."),
        };
        Split = split;
        var listPath = Path.Combine(root, list);
        var missing = new BadInputs();
        foreach (var (name, label, line) in ReadList(listPath))
        {
            var reason = Check(name, split, out var wav, out var frames);
            if (reason is null) { _clips.Add(new Clip(name, label, wav, frames)); Coverage.Keep(name, label); continue; }
            if (_options.MissingFiles == MissingFilePolicy.Error) missing.Add(new FileNotFoundException($"{listPath}, line {line}: clip {name}: {reason}."));
            else Coverage.Drop(name, label, reason);
        }
        missing.ThrowIfAny($"{listPath} ({split})");
        if (_clips.Count == 0)
            throw EmptySplitException.For($"{listPath}: split '{split}' has no usable clips{(Dropped.Count > 0 ? $" ({Dropped})" : "")}.", split, Coverage, Protocol.ClassNames);

        var size = _options.SpectrogramSize ?? (Protocol.AudioFormat == CremaDAudioFormat.Wav ? (257, 188) : (_options.FbankFrames, 128));
        Info = new DatasetInfo("cremad/" + split,
            [new ModalitySpec(Modalities.Audio, [size.Freq, size.Time]),
             new ModalitySpec(Modalities.Visual, [3, _options.Frames, _options.ImageSize, _options.ImageSize])],
            Protocol.ClassNames);
    }

    public CremaDProtocol Protocol { get; }
    public string Split { get; }
    public DatasetInfo Info { get; }
    public int Count => _clips.Count;
    public ListCoverage Coverage { get; } = new();
    public DropReport Dropped => Coverage.Dropped;
    public int LabelOf(int index) => _clips[index].Label;
    public string NameOf(int index) => _clips[index].Name;

    public Sample Get(int index, SampleMode mode, ulong seed)
    {
        var clip = _clips[index];
        var rng = new Rng(seed);
        return new Sample
        {
            Index = index,
            Id = clip.Name,
            Label = clip.Label,
            Inputs = new Dictionary<string, Tensor?>
            {
                [Modalities.Audio] = Audio(index),
                [Modalities.Visual] = Visual(clip, mode, rng),
            },
        };
    }

    /// <summary>The clip's log-spectrogram (F, T), computed once when caching is on.</summary>
    public Tensor Audio(int index)
    {
        var shape = Info.Modality(Modalities.Audio).Shape;
        if (_options.CacheAudio && _audioCache.TryGetValue(index, out var cached)) return tensor(cached, shape);
        using var scope = NewDisposeScope();
        Tensor spec;
        if (Protocol.AudioFormat == CremaDAudioFormat.FbankNpy)
        {
            var path = _clips[index].Wav;
            var (data, s0) = Formats.NpyFile.ReadFloat32(path);
            if (s0.Length != 2 || s0[0] != _options.FbankFrames || s0[1] != 128)
                throw new InvalidDataException($"{path}: fbank shape ({string.Join(", ", s0)}); expected ({_options.FbankFrames}, 128) (frames, mel bins).");
            spec = tensor(data, s0);
        }
        else
        {
            var wav = WavFile.Read(_clips[index].Wav);
            spec = LogSpectrogram.CremaD(wav.Mono(), wav.SampleRate);
        }
        if (_options.SpectrogramSize is { } s)
            spec = nn.functional.interpolate(spec.unsqueeze(0).unsqueeze(0), [s.Freq, s.Time], mode: InterpolationMode.Bilinear,
                align_corners: false, antialias: true).squeeze(0).squeeze(0);
        spec = spec.contiguous();
        if (_options.CacheAudio) _audioCache[index] = spec.data<float>().ToArray();
        return spec.MoveToOuterDisposeScope();
    }

    /// <summary>Computes every clip's spectrogram into the cache (when caching is on), on all cores.</summary>
    public void Precompute(IProgress<(int Done, int Total)>? progress = null)
    {
        if (!_options.CacheAudio) return;
        BadInputs.ForEach(Count, i =>
        {
            using var scope = NewDisposeScope();
            Audio(i);
        }, $"CREMA-D {Split} audio", progress);
    }

    Tensor Visual(Clip clip, SampleMode mode, Rng rng)
    {
        using var scope = NewDisposeScope();
        var frames = SelectFrames(clip.Frames, _options.Frames, _options.FrameSelection);
        var images = new Tensor[frames.Length];
        for (int i = 0; i < frames.Length; i++)
        {
            var img = _options.CacheFrames ? _frameCache.GetOrAdd(frames[i], ImageFile.Decode) : ImageFile.Decode(frames[i]);
            images[i] = mode == SampleMode.Train ? ImagePipelines.Train(img, _options.ImageSize, rng) : ImagePipelines.Test(img, _options.ImageSize);
        }
        return stack(images, 1).MoveToOuterDisposeScope();
    }

    /// <summary>Which of a clip's sorted frames are used; clips with fewer frames than asked repeat their last frame.</summary>
    public static string[] SelectFrames(string[] sorted, int count, FrameSelection selection)
    {
        var picked = new string[count];
        for (int i = 0; i < count; i++)
        {
            int k = selection == FrameSelection.First ? i : (int)((double)sorted.Length / count * i);
            picked[i] = sorted[Math.Min(k, sorted.Length - 1)];
        }
        return picked;
    }

    string? Check(string name, string split, out string wav, out string[] frames)
    {
        wav = Protocol.AudioPath(_root, split, name);
        frames = [];
        if (!File.Exists(wav)) return $"audio file {wav} not found";
        var dir = Protocol.FrameDirectory(_root, split, name);
        if (!Directory.Exists(dir)) return $"frame folder {dir} not found";
        frames = Directory.GetFiles(dir, "*.jpg").Order(StringComparer.Ordinal).ToArray();
        if (frames.Length == 0) return $"frame folder {dir} has no .jpg files";
        return null;
    }

    /// <summary>Reads a split list: `name,LABEL` per line (OGM-GE; UTF-8 with or without BOM, no header) or `name.flv Label` (MLA).</summary>
    IEnumerable<(string Name, int Label, int Line)> ReadList(string path)
    {
        bool mla = Protocol.ListFormat == CremaDListFormat.MlaTxt;
        var example = mla ? "`name.flv Label`, e.g. 1012_MTI_SAD_XX.flv Sad" : "`name,LABEL`, e.g. 1001_DFA_ANG_XX,ANG";
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: split list not found (expected lines {example}).", path);
        var lines = File.ReadAllLines(path, new UTF8Encoding(false));
        var seen = new HashSet<string>();
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim().TrimStart('\uFEFF');
            if (line.Length == 0) continue;
            var parts = mla ? line.Split(".flv ", 2) : line.Split(',');
            if (parts.Length != 2 || parts[0].Trim().Length == 0)
                throw new InvalidDataException($"{path}, line {i + 1}: expected {example}, found '{line}'.");
            var name = parts[0].Trim();
            if (!seen.Add(name)) throw new InvalidDataException($"{path}, line {i + 1}: clip {name} is listed twice.");
            yield return (name, Protocol.ClassIndex(parts[1].Trim(), path, i + 1), i + 1);
        }
    }
}
