using Repro.Data.Audio;
using Repro.Data.Formats;
using static TorchSharp.torch;

namespace Repro.Data.KineticsSounds;

/// <summary>
/// Kinetics-Sounds in the layout of one of its protocols (<see cref="KsProtocol"/>). The class list is a field the user
/// supplies: <c>classes.txt</c> in the root (one name per line, in label order) names the classes; without it the OGM-GE
/// protocol uses numbered names for <see cref="KsOptions.NumClasses"/> classes and DGL the sorted class folders.
/// Audio: OGM-GE reads the prepared fbank .npy (shape checked: (<see cref="KsOptions.FbankFrames"/>, 128)), DGL computes
/// the log-STFT from the WAV (train: random 5 s crop of the tiled signal; eval: the first 5 s). Visual: frames from the
/// clip's sorted 1-fps folder, the train/test image pipelines, (3, T, S, S).
/// </summary>
public sealed class KsDataset : IMultimodalDataset, IPrecomputable, IListsFiles
{
    public const string ClassesFile = "classes.txt";
    public const string FbankFolder = "audio-fbank";
    public const string StftFolder = "audio-stft";
    public const string FrameFolder = "Image-01-FPS";

    readonly string _root;
    readonly KsOptions _o;
    readonly List<(string Id, int Label, string Audio, string[] Frames)> _clips = new();
    readonly long[] _rawAudioShape;
    readonly ClipReader _reader;

    public KsDataset(string root, string split, KsProtocol protocol = KsProtocol.OgmGe, KsOptions? options = null)
    {
        _root = root;
        _o = options ?? new KsOptions();
        Protocol = protocol;
        Split = split;
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"{root}: Kinetics-Sounds root folder not found.");
        if (split is not ("train" or "test")) throw new ArgumentException($"Unknown Kinetics-Sounds split '{split}'; expected train or test.");
        var classesPath = Path.Combine(root, ClassesFile);
        string[]? supplied = File.Exists(classesPath)
            ? File.ReadAllLines(classesPath).Select(l => l.Trim()).Where(l => l.Length > 0).ToArray()
            : null;
        if (supplied is not null && supplied.Distinct().Count() != supplied.Length)
            throw new InvalidDataException($"{classesPath}: a class name is listed twice.");
        if (protocol == KsProtocol.OgmGe)
        {
            ClassNames = supplied ?? Enumerable.Range(0, _o.NumClasses).Select(i => $"class{i:D2}").ToArray();
            var list = Path.Combine(root, split == "train" ? "my_train.txt" : "my_test.txt");
            foreach (var (id, label, line) in ReadOgmGeList(list))
            {
                if (label >= ClassNames.Length)
                    throw new InvalidDataException($"{list}, line {line}: label {label} is outside the {ClassNames.Length} classes{(supplied is null ? " (no classes.txt: set the class count)" : $" named in {classesPath}")}.");
                var audio = _o.AudioFeature == KsAudioFeature.Fbank ? Path.Combine(root, FbankFolder, id + ".npy")
                    : File.Exists(Path.Combine(root, StftFolder, id + ".npy")) ? Path.Combine(root, StftFolder, id + ".npy") : Path.Combine(root, StftFolder, id + ".pkl");
                Add(id, label, audio, Path.Combine(root, FrameFolder, id), $"{list}, line {line}");
            }
            _rawAudioShape = _o.AudioFeature == KsAudioFeature.Fbank ? [_o.FbankFrames, 128] : [_o.StftShape.Freq, _o.StftShape.Time];
        }
        else
        {
            var folder = split == "train" ? "train" : "val";
            var audioRoot = Path.Combine(root, "audio", folder);
            if (!Directory.Exists(audioRoot)) throw new DirectoryNotFoundException($"{audioRoot}: class folders not found (DGL layout audio/{folder}/<class>/<clip>.wav).");
            var folders = Directory.GetDirectories(audioRoot).Select(d => Path.GetFileName(d)!).Order(StringComparer.Ordinal).ToArray();
            ClassNames = supplied ?? (split == "train" ? folders : Directory.GetDirectories(Path.Combine(root, "audio", "train")).Select(d => Path.GetFileName(d)!).Order(StringComparer.Ordinal).ToArray());
            foreach (var cls in folders)
            {
                int label = Array.IndexOf(ClassNames, cls);
                if (label < 0) throw new InvalidDataException($"{Path.Combine(audioRoot, cls)}: class folder '{cls}' is not in the class list ({(supplied is null ? "the train class folders" : classesPath)}).");
                foreach (var wav in Directory.GetFiles(Path.Combine(audioRoot, cls), "*.wav").Order(StringComparer.Ordinal))
                {
                    var id = Path.GetFileNameWithoutExtension(wav);
                    Add(id, label, wav, Path.Combine(root, "visual", $"{folder}_img", FrameFolder, cls, id), Path.Combine(audioRoot, cls));
                }
            }
            _rawAudioShape = [.. LogSpectrogram.DglShape];
        }
        _missing.ThrowIfAny($"{root} (Kinetics-Sounds {split})");
        if (_clips.Count == 0)
            throw EmptySplitException.For($"{root}: Kinetics-Sounds split '{split}' has no usable clips{(Dropped.Count > 0 ? $" ({Dropped})" : "")}.", split, Coverage, ClassNames);
        var audioShape = _o.AudioSize is { } s ? new long[] { s.Rows, s.Cols } : _rawAudioShape;
        _reader = new ClipReader(_o.Frames, _o.FrameSelection, _o.ImageSize, audioShape, _o.AudioSize, _o.CacheAudio, _o.CacheFrames);
        Info = new DatasetInfo($"ks/{split}",
            [new ModalitySpec(Modalities.Audio, audioShape), new ModalitySpec(Modalities.Visual, [3, _o.Frames, _o.ImageSize, _o.ImageSize])],
            ClassNames);
    }

    void Add(string id, int label, string audio, string frameDir, string where)
    {
        string? reason = null;
        string[] frames = [];
        if (!File.Exists(audio)) reason = $"audio file {audio} not found";
        else if (!Directory.Exists(frameDir)) reason = $"frame folder {frameDir} not found";
        else if ((frames = Directory.GetFiles(frameDir, "*.jpg").Order(StringComparer.Ordinal).ToArray()).Length == 0) reason = $"frame folder {frameDir} has no .jpg files";
        if (reason is null) { _clips.Add((id, label, audio, frames)); Coverage.Keep(id, label); return; }
        if (_o.MissingFiles == MissingFilePolicy.Error) _missing.Add(new FileNotFoundException($"{where}: clip {id}: {reason}."));
        else Coverage.Drop(id, label, reason);
    }

    readonly BadInputs _missing = new();

    public KsProtocol Protocol { get; }
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

    /// <summary>The clip's audio feature: the fbank .npy (OGM-GE) or the log-STFT of the WAV (DGL), resized when asked.</summary>
    public Tensor Audio(int index, SampleMode mode = SampleMode.Eval, Rng? rng = null) =>
        _reader.Audio(index, same: Protocol == KsProtocol.OgmGe || mode == SampleMode.Eval, () =>
        {
            var path = _clips[index].Audio;
            if (Protocol != KsProtocol.OgmGe) return LogSpectrogram.Dgl(path, mode == SampleMode.Train ? rng ?? new Rng(0) : null);
            bool fbank = _o.AudioFeature == KsAudioFeature.Fbank;
            var (data, s) = path.EndsWith(".pkl") ? ReadPickledArray(path) : NpyFile.ReadFloat32(path);
            if (s.Length != 2 || s[0] != _rawAudioShape[0] || s[1] != _rawAudioShape[1])
                throw new InvalidDataException($"{path}: {(fbank ? "fbank" : "STFT")} shape ({string.Join(", ", s)}); expected ({_rawAudioShape[0]}, {_rawAudioShape[1]}) {(fbank ? "(frames, mel bins)" : "(frequency, time)")}.");
            var x = tensor(data, s);
            return fbank && _o.NormalizeFbank ? KaldiFbank.Normalize(x, KaldiFbank.OgmGeKineticsSoundsMean, KaldiFbank.OgmGeKineticsSoundsStd) : x;
        });

    static (float[] Data, long[] Shape) ReadPickledArray(string path) => Pickle.Load(path) switch
    {
        PickledArray a => (a.ToFloat32(), a.Shape),
        var other => throw new InvalidDataException($"{path}: expected a pickled NumPy array, found {other?.GetType().Name ?? "None"}."),
    };

    public void Precompute(IProgress<(int Done, int Total)>? progress = null) =>
        _reader.PrecomputeAudio(Count, i => Audio(i), $"Kinetics-Sounds {Split} audio", progress);

    /// <summary>Reads an OGM-GE list: `clip,10,label` per line (label an integer index).</summary>
    public static IEnumerable<(string Id, int Label, int Line)> ReadOgmGeList(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: Kinetics-Sounds list not found (expected lines `clip,10,label`, e.g. --4-0ihtnBU_000058_000068,10,4).", path);
        var lines = File.ReadAllLines(path);
        var seen = new HashSet<string>();
        var result = new List<(string, int, int)>();
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim().TrimStart('\uFEFF');
            if (line.Length == 0) continue;
            var parts = line.Split(',');
            if (parts.Length != 3 || parts[0].Length == 0 || !int.TryParse(parts[2], out var label) || label < 0)
                throw new InvalidDataException($"{path}, line {i + 1}: expected `clip,10,label` with a non-negative integer label, found '{line}'.");
            if (!seen.Add(parts[0])) throw new InvalidDataException($"{path}, line {i + 1}: clip {parts[0]} is listed twice.");
            result.Add((parts[0], label, i + 1));
        }
        return result;
    }
}
