using Repro.Data.Formats;

namespace Repro.Data.Mosi;

/// <summary>
/// MOSI's released feature pickle (docs/datasets.md#mosi-mult): a dict of splits (<c>train</c>, <c>valid</c>, <c>test</c>),
/// each a dict of NumPy arrays: <c>text</c>, <c>audio</c>, <c>vision</c> (N, T, d), the sentiment score as <c>labels</c>
/// (MulT's mosi_data.pkl, (N, 1, 1)) or <c>regression_labels</c> (MMSA's aligned_50.pkl, (N,)), and optionally <c>id</c>.
/// Float32 and float64 arrays are read as float32. Audio values of -inf become 0, as MulT's and MMSA's loaders do; any
/// other non-finite value is an error. Every problem of every split is reported together, each naming the file, the
/// split, the key and what was expected.
/// </summary>
public static class MosiFeatureFile
{
    public static readonly string[] SplitKeys = ["train", "valid", "test"];
    /// <summary>The file's modality keys, in the kit's modality order (audio, visual, text).</summary>
    public static readonly (string Key, string Modality)[] ModalityKeys = [("audio", Modalities.Audio), ("vision", Modalities.Visual), ("text", Modalities.Text)];
    public static readonly string[] LabelKeys = ["labels", "regression_labels"];

    /// <summary>One modality of one split: N clips of T steps of d values, C order.</summary>
    public sealed record Sequences(int Count, int Steps, int Dim, float[] Values);

    /// <summary>One split: each modality's sequences (by the kit's modality name), each clip's score and id.</summary>
    public sealed record Split(string Name, IReadOnlyDictionary<string, Sequences> Inputs, float[] Scores, string[] Ids)
    {
        public int Count => Scores.Length;
    }

    /// <summary>Reads the splits named in <paramref name="splits"/> (all three when null).</summary>
    public static Dictionary<string, Split> Read(string path, IReadOnlyCollection<string>? splits = null)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: MOSI feature file not found (MulT's mosi_data.pkl or MMSA's aligned_50.pkl, renamed or linked as this name).", path);
        var root = Pickle.Load(path) as Dictionary<object, object?>
                   ?? throw new InvalidDataException($"{path}: expected a pickled dict with keys {string.Join(", ", SplitKeys)}; found another value.");
        var bad = new BadInputs();
        var result = new Dictionary<string, Split>();
        foreach (var name in splits ?? SplitKeys)
        {
            if (!root.TryGetValue(name, out var value) || value is not Dictionary<object, object?> d)
            {
                bad.Add($"{path}: split '{name}' is {(value is null && !root.ContainsKey(name) ? "missing" : "not a dict")}; expected a dict of arrays (keys {Keys()}); the file has keys {string.Join(", ", root.Keys)}.");
                continue;
            }
            if (ReadSplit(path, name, d, bad) is { } s) result[name] = s;
        }
        bad.ThrowIfAny($"{path} (MOSI features)");
        return result;
    }

    static string Keys() => string.Join(", ", ModalityKeys.Select(m => m.Key)) + ", labels or regression_labels";

    static Split? ReadSplit(string path, string split, Dictionary<object, object?> d, BadInputs bad)
    {
        int before = bad.Count;
        var inputs = new Dictionary<string, Sequences>();
        foreach (var (key, modality) in ModalityKeys)
            if (Sequence(path, split, key, d, bad) is { } seq) inputs[modality] = seq;
        var scores = Scores(path, split, d, bad);
        var ids = Ids(path, split, d, bad);
        var counts = inputs.Select(kv => ($"{KeyOf(kv.Key)} {kv.Value.Count}", kv.Value.Count)).ToList();
        if (scores is not null) counts.Add(($"{LabelKeys.First(d.ContainsKey)} {scores.Length}", scores.Length));
        if (ids is not null) counts.Add(($"id {ids.Length}", ids.Length));
        if (counts.Select(c => c.Item2).Distinct().Count() > 1)
            bad.Add($"{path}: split '{split}' has different clip counts per key ({string.Join(", ", counts.Select(c => c.Item1))}); expected one count.");
        if (bad.Count > before) return null;
        return new Split(split, inputs, scores!, ids ?? Enumerable.Range(0, scores!.Length).Select(i => $"{split}/{i}").ToArray());
    }

    static string KeyOf(string modality) => ModalityKeys.First(m => m.Modality == modality).Key;

    static Sequences? Sequence(string path, string split, string key, Dictionary<object, object?> d, BadInputs bad)
    {
        if (!d.TryGetValue(key, out var v) || v is not PickledArray a)
        {
            bad.Add($"{path}: split '{split}' key '{key}' is {(d.ContainsKey(key) ? "not a numeric NumPy array" : "missing")}; expected a float array (clips, steps, features).");
            return null;
        }
        if (a.Descr is not ("<f4" or "<f8") || a.Shape.Length != 3)
        {
            bad.Add($"{path}: split '{split}' key '{key}' is a {a.Descr} array of shape ({string.Join(", ", a.Shape)}); expected float32 or float64 of shape (clips, steps, features).");
            return null;
        }
        var values = a.ToFloat32();
        int nonFinite = 0, first = -1;
        for (int i = 0; i < values.Length; i++)
        {
            if (float.IsFinite(values[i])) continue;
            if (key == "audio" && float.IsNegativeInfinity(values[i])) { values[i] = 0; continue; }   // COVAREP's -inf, zeroed as MulT and MMSA do
            if (nonFinite++ == 0) first = i;
        }
        var (n, t, f) = ((int)a.Shape[0], (int)a.Shape[1], (int)a.Shape[2]);
        if (nonFinite > 0)
            bad.Add($"{path}: split '{split}' key '{key}' has {nonFinite} non-finite value(s), the first in clip {first / Math.Max(1, t * f)} step {first / Math.Max(1, f) % Math.Max(1, t)}; expected finite numbers (only audio's -inf is read as 0).");
        return new Sequences(n, t, f, values);
    }

    static float[]? Scores(string path, string split, Dictionary<object, object?> d, BadInputs bad)
    {
        var key = LabelKeys.FirstOrDefault(d.ContainsKey);
        if (key is null || d[key] is not PickledArray a || a.Descr is not ("<f4" or "<f8"))
        {
            bad.Add($"{path}: split '{split}' has {(key is null ? "no label key" : $"a key '{key}' that is not a float array")}; expected 'labels' (clips, 1, 1) or 'regression_labels' (clips,) holding the sentiment score in [-3, 3].");
            return null;
        }
        if (a.Shape.Length == 0 || a.Shape.Skip(1).Any(x => x != 1))
        {
            bad.Add($"{path}: split '{split}' key '{key}' has shape ({string.Join(", ", a.Shape)}); expected one score per clip: (clips,), (clips, 1) or (clips, 1, 1).");
            return null;
        }
        var s = a.ToFloat32();
        var off = s.Select((x, i) => (x, i)).Where(p => !float.IsFinite(p.x) || p.x < -3.0001f || p.x > 3.0001f).ToList();
        if (off.Count > 0)
            bad.Add($"{path}: split '{split}' key '{key}' has {off.Count} score(s) outside [-3, 3] (clip {off[0].i}: {off[0].x}); expected MOSI's sentiment scores.");
        return s;
    }

    static string[]? Ids(string path, string split, Dictionary<object, object?> d, BadInputs bad)
    {
        if (!d.TryGetValue("id", out var v)) return null;
        string Text(object? o) => o switch { byte[] b => System.Text.Encoding.UTF8.GetString(b), null => "", _ => o.ToString() ?? "" };
        switch (v)
        {
            case PickledObjects o when o.Shape.Length >= 1 && o.Shape[0] > 0:
            {
                int n = (int)o.Shape[0], per = o.Items.Count / n;
                return Enumerable.Range(0, n).Select(i => string.Join("/", o.Items.Skip(i * per).Take(per).Select(Text))).ToArray();
            }
            case PickledObjects o: return [];
            case List<object?> l: return l.Select(x => x is object?[] t ? string.Join("/", t.Select(Text)) : Text(x)).ToArray();
            case PickledArray a when a.Descr[1] is 'S' or 'U':
            {
                int width = int.Parse(a.Descr[2..]) * (a.Descr[1] == 'U' ? 4 : 1), n = (int)a.Shape[0], per = (int)(a.Count / Math.Max(1, n));
                string Item(int k) => a.Descr[1] == 'U'
                    ? System.Text.Encoding.UTF32.GetString(a.Data, k * width, width).TrimEnd('\0')
                    : System.Text.Encoding.UTF8.GetString(a.Data, k * width, width).TrimEnd('\0');
                return Enumerable.Range(0, n).Select(i => string.Join("/", Enumerable.Range(i * per, per).Select(Item))).ToArray();
            }
            default:
                bad.Add($"{path}: split '{split}' key 'id' is neither an array of strings nor a list; expected one id per clip.");
                return null;
        }
    }
}
