using static TorchSharp.torch;

namespace Repro.Data.Mosi;

/// <summary>
/// CMU-MOSI, protocol "mult" (docs/datasets.md#mosi): one split of the released feature pickle
/// (<see cref="MosiFeatureFile"/>), two classes from the sentiment score (<see cref="MosiLabelRule"/>). DGL §4.3 feeds
/// "one frame" per video: each modality of a clip is its sequence averaged over the steps that are not padding (a step
/// whose values are all 0; a clip with none gives zeros), so the audio, visual and text inputs are vectors of the file's
/// feature sizes. <paramref name="expected"/> (from a manifest) fixes each modality's (steps, features).
/// </summary>
public sealed class MosiDataset : IMultimodalDataset
{
    public static readonly string[] ClassNames = ["negative", "positive"];
    public const string FeatureFile = "mosi_data.pkl";

    readonly float[][][] _inputs;   // [modality][clip] = pooled vector
    readonly int[] _labels;
    readonly string[] _ids;

    public MosiDataset(string root, string split, MosiLabelRule rule = MosiLabelRule.Positive, IReadOnlyDictionary<string, long[]>? expected = null)
        : this(Path.Combine(root, FeatureFile), MosiFeatureFile.Read(Path.Combine(root, FeatureFile), [Check(split)])[split], rule, expected) { }

    public MosiDataset(string path, MosiFeatureFile.Split s, MosiLabelRule rule = MosiLabelRule.Positive, IReadOnlyDictionary<string, long[]>? expected = null)
    {
        var modalities = MosiFeatureFile.ModalityKeys.Select(m => m.Modality).ToArray();
        if (expected is not null)
        {
            var bad = new BadInputs();
            foreach (var m in modalities)
                if (expected.TryGetValue(m, out var shape) && (shape[0] != s.Inputs[m].Steps || shape[1] != s.Inputs[m].Dim))
                    bad.Add($"{path}: split '{s.Name}' {m} sequences are ({s.Inputs[m].Steps}, {s.Inputs[m].Dim}) per clip; the manifest expects ({shape[0]}, {shape[1]}).");
            bad.ThrowIfAny($"{path} (MOSI {s.Name})");
        }
        if (s.Count == 0) throw new InvalidDataException($"{path}: split '{s.Name}' has no clips.");
        Split = s.Name;
        _inputs = modalities.Select(m => Pool(s.Inputs[m])).ToArray();
        _labels = s.Scores.Select(x => rule == MosiLabelRule.Positive ? (x > 0 ? 1 : 0) : (x >= 0 ? 1 : 0)).ToArray();
        _ids = s.Ids;
        Scores = s.Scores;
        Info = new DatasetInfo($"mosi/{s.Name}", modalities.Select(m => new ModalitySpec(m, [s.Inputs[m].Dim])).ToArray(), ClassNames);
    }

    static string Check(string split) =>
        MosiFeatureFile.SplitKeys.Contains(split) ? split : throw new ArgumentException($"Unknown MOSI split '{split}'; expected train, valid or test.");

    public string Split { get; }
    public DatasetInfo Info { get; }
    public int Count => _labels.Length;
    /// <summary>Each clip's sentiment score in [-3, 3], as in the file.</summary>
    public IReadOnlyList<float> Scores { get; }
    public int LabelOf(int index) => _labels[index];
    public string NameOf(int index) => _ids[index];

    public Sample Get(int index, SampleMode mode, ulong seed) => new()
    {
        Index = index,
        Id = _ids[index],
        Label = _labels[index],
        Inputs = Info.Modalities.Select((m, k) => (m.Name, T: (Tensor?)tensor(_inputs[k][index]))).ToDictionary(p => p.Name, p => p.T),
    };

    /// <summary>Each clip's mean over its non-padding steps (the steps with a nonzero value).</summary>
    public static float[][] Pool(MosiFeatureFile.Sequences q)
    {
        var result = new float[q.Count][];
        for (int n = 0; n < q.Count; n++)
        {
            var v = new float[q.Dim];
            int used = 0;
            for (int t = 0; t < q.Steps; t++)
            {
                var step = q.Values.AsSpan((n * q.Steps + t) * q.Dim, q.Dim);
                if (!step.ContainsAnyExcept(0f)) continue;
                used++;
                for (int i = 0; i < q.Dim; i++) v[i] += step[i];
            }
            if (used > 0) for (int i = 0; i < q.Dim; i++) v[i] /= used;
            result[n] = v;
        }
        return result;
    }
}
