using Repro.Data.Formats;
using static TorchSharp.torch;

namespace Repro.Data.Iemocap;

/// <summary>
/// IEMOCAP as GCNet's utterance-level baselines read it (the MLA paper's appendix setup; docs/missing-modality.md#gcnet-protocol, #iemocap-features),
/// protocol "gcnet-iemocap4": the label file <c>IEMOCAP_features_raw_4way.pkl</c> (a pickled tuple videoIDs,
/// videoLabels, videoSpeakers, videoSentences, trainVid, testVid), and one feature file per utterance and modality:
/// audio <c>features/wav2vec-large-c-UTT/&lt;utt&gt;.npy</c> (512), text <c>features/deberta-large-4-UTT/&lt;utt&gt;.npy</c> (1024),
/// visual <c>features/manet_UTT/&lt;utt&gt;/*.npy</c> (compress_F / compress_M, 1024, averaged as GCNet's baseline converter
/// does). A 2-D feature file (time, dim) is averaged over time. Four classes in the label file's order (0 happy+excited,
/// 1 sad, 2 neutral, 3 angry; inferred from the class counts). Folds are leave-one-session-out: fold k tests on
/// Session k (the session is the 5th character of the dialogue id, GCNet train_gcnet.py), trains on the other four.
/// Every feature is read and checked (shape, finiteness) when the dataset is opened, and kept in memory.
/// </summary>
public sealed class IemocapDataset : IMultimodalDataset, IListsFiles
{
    public static readonly string[] ClassNames = ["happy", "sad", "neutral", "angry"];
    public const string LabelFile = "IEMOCAP_features_raw_4way.pkl";
    public const string AudioFolder = "features/wav2vec-large-c-UTT";
    public const string TextFolder = "features/deberta-large-4-UTT";
    public const string VisualFolder = "features/manet_UTT";

    readonly List<(string Id, int Label, int Session, float[] A, float[] V, float[] T)> _items = new();

    public IemocapDataset(string root, string split, int fold = 5, MissingFilePolicy missingFiles = MissingFilePolicy.Error)
    {
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"{root}: IEMOCAP root folder not found.");
        if (fold is < 1 or > 5) throw new ArgumentOutOfRangeException(nameof(fold), fold, "IEMOCAP fold must be 1..5 (the test session).");
        if (split is not ("train" or "test")) throw new ArgumentException($"Unknown IEMOCAP split '{split}'; expected train or test.");
        Fold = fold;
        Split = split;
        var utterances = ReadLabels(Path.Combine(root, LabelFile));
        var dims = new Dim[] { new(), new(), new() };
        var missing = new BadInputs();
        foreach (var u in utterances)
        {
            bool inTest = u.Session == fold;
            if (inTest != (split == "test")) continue;
            try
            {
                var a = Utterance(Path.Combine(root, AudioFolder, u.Id + ".npy"), dims[0]);
                var v = Faces(Path.Combine(root, VisualFolder, u.Id), dims[1]);
                var t = Utterance(Path.Combine(root, TextFolder, u.Id + ".npy"), dims[2]);
                _items.Add((u.Id, u.Label, u.Session, a, v, t));
                Coverage.Keep(u.Id, u.Label);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                if (missingFiles == MissingFilePolicy.Drop) Coverage.Drop(u.Id, u.Label, e.Message);
                else missing.Add(e);
            }
        }
        missing.ThrowIfAny($"{root} (IEMOCAP fold {fold} {split})");
        if (_items.Count == 0)
            throw EmptySplitException.For($"{Path.Combine(root, LabelFile)}: fold {fold} split '{split}' has no usable utterances{(Dropped.Count > 0 ? $" ({Dropped})" : "")}.", split, Coverage, ClassNames);
        Info = new DatasetInfo($"iemocap/fold{fold}/{split}",
            [new ModalitySpec(Modalities.Audio, [dims[0].Size]), new ModalitySpec(Modalities.Visual, [dims[1].Size]), new ModalitySpec(Modalities.Text, [dims[2].Size])],
            ClassNames);
    }

    public int Fold { get; }
    public string Split { get; }
    public DatasetInfo Info { get; }
    public int Count => _items.Count;
    public ListCoverage Coverage { get; } = new();
    public DropReport Dropped => Coverage.Dropped;
    public int LabelOf(int index) => _items[index].Label;
    public string NameOf(int index) => _items[index].Id;
    public int SessionOf(int index) => _items[index].Session;

    public Sample Get(int index, SampleMode mode, ulong seed)
    {
        var it = _items[index];
        return new Sample
        {
            Index = index,
            Id = it.Id,
            Label = it.Label,
            Inputs = new Dictionary<string, Tensor?>
            {
                [Modalities.Audio] = tensor(it.A),
                [Modalities.Visual] = tensor(it.V),
                [Modalities.Text] = tensor(it.T),
            },
        };
    }

    public sealed record Utt(string Id, string Dialogue, int Label, string Speaker, int Session);

    /// <summary>Reads GCNet's label pickle: every utterance of every dialogue in trainVid ∪ testVid (sorted), in order.</summary>
    public static List<Utt> ReadLabels(string path)
    {
        // GCNet's file is a pickled list of the six; a tuple reads the same
        var root = Pickle.Load(path) switch
        {
            object?[] t => t,
            List<object?> l => l.ToArray(),
            _ => throw new InvalidDataException($"{path}: expected a pickled list or tuple (videoIDs, videoLabels, videoSpeakers, videoSentences, trainVid, testVid)."),
        };
        if (root.Length < 6)
            throw new InvalidDataException($"{path}: the pickled tuple has {root.Length} items; expected 6 (videoIDs, videoLabels, videoSpeakers, videoSentences, trainVid, testVid).");
        var ids = Dict(root[0], path, "videoIDs");
        var labels = Dict(root[1], path, "videoLabels");
        var speakers = Dict(root[2], path, "videoSpeakers");
        var vids = List(root[4], path, "trainVid").Concat(List(root[5], path, "testVid")).Select(v => (string)v!).Distinct().Order(StringComparer.Ordinal);
        var result = new List<Utt>();
        foreach (var vid in vids)
        {
            if (vid.Length < 5 || !char.IsDigit(vid[4]) || vid[4] is < '1' or > '5')
                throw new InvalidDataException($"{path}: dialogue id '{vid}' does not carry a session digit 1-5 at position 5 (e.g. Ses01F_impro01).");
            var u = List(ids.GetValueOrDefault(vid), path, $"videoIDs['{vid}']");
            var l = List(labels.GetValueOrDefault(vid), path, $"videoLabels['{vid}']");
            var s = List(speakers.GetValueOrDefault(vid), path, $"videoSpeakers['{vid}']");
            if (u.Count != l.Count || u.Count != s.Count)
                throw new InvalidDataException($"{path}: dialogue {vid} has {u.Count} utterances, {l.Count} labels and {s.Count} speakers; expected equal counts.");
            for (int i = 0; i < u.Count; i++)
            {
                var label = Convert.ToInt32(l[i]);
                if (label < 0 || label >= ClassNames.Length)
                    throw new InvalidDataException($"{path}: videoLabels['{vid}'][{i}] is {label}; expected 0..3 (happy, sad, neutral, angry).");
                result.Add(new Utt((string)u[i]!, vid, label, s[i]?.ToString() ?? "", vid[4] - '0'));
            }
        }
        return result;
    }

    static Dictionary<object, object?> Dict(object? o, string path, string field) =>
        o as Dictionary<object, object?> ?? throw new InvalidDataException($"{path}: field {field} is not a dict.");

    static List<object?> List(object? o, string path, string field) => o switch
    {
        List<object?> l => l,
        object?[] t => t.ToList(),
        PickledArray a when a.Descr[1] is 'i' or 'u' => a.ToFloat32().Select(x => (object?)(long)x).ToList(),
        _ => throw new InvalidDataException($"{path}: field {field} is missing or not a list."),
    };

    /// <summary>The feature size of one modality, set by its first file.</summary>
    sealed class Dim { public int Size = -1; public string First = ""; }

    static float[] Utterance(string path, Dim dim)
    {
        var (data, shape) = NpyFile.ReadFloat32(path);
        var v = shape.Length switch
        {
            1 => data,
            2 when shape[0] == 1 => data,
            2 => MeanRows(data, (int)shape[0], (int)shape[1]),
            _ => throw new InvalidDataException($"{path}: feature shape ({string.Join(", ", shape)}); expected (dim) or (time, dim)."),
        };
        Check(path, v, dim);
        return v;
    }

    static float[] Faces(string dir, Dim dim)
    {
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"{dir}: face feature folder not found (expected compress_F.npy / compress_M.npy).");
        var files = Directory.GetFiles(dir, "*.npy").Order(StringComparer.Ordinal).ToArray();
        if (files.Length == 0) throw new FileNotFoundException($"{dir}: face feature folder has no .npy files.");
        float[]? sum = null;
        foreach (var f in files)
        {
            var v = Utterance(f, dim);
            sum ??= new float[v.Length];
            for (int i = 0; i < v.Length; i++) sum[i] += v[i] / files.Length;
        }
        return sum!;
    }

    static float[] MeanRows(float[] data, int rows, int cols)
    {
        var m = new float[cols];
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) m[c] += data[r * cols + c] / rows;
        return m;
    }

    static void Check(string path, float[] v, Dim dim)
    {
        if (dim.Size < 0) { dim.Size = v.Length; dim.First = path; }
        else if (v.Length != dim.Size)
            throw new InvalidDataException($"{path}: feature has {v.Length} values; expected {dim.Size} like {dim.First} (the files of one modality must agree).");
        for (int i = 0; i < v.Length; i++)
            if (!float.IsFinite(v[i])) throw new InvalidDataException($"{path}: feature value {i} is {v[i]}; expected a finite number.");
    }
}
