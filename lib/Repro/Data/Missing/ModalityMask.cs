using System.Text.Json;
using System.Text.Json.Serialization;

namespace Repro.Data.Missing;

/// <summary>
/// Which modalities each sample of a split keeps: an N x V boolean matrix with named columns, a protocol description
/// and the parameters that made it. Saved as JSON (one string of '1'/'0' per sample, columns in <see cref="Modalities"/>
/// order) so runs, methods and seeds share the same mask; <see cref="Apply"/> turns it into a dataset whose masked
/// inputs are null (missing).
/// </summary>
public sealed class ModalityMask
{
    public ModalityMask(string[] modalities, bool[,] kept)
    {
        if (kept.GetLength(1) != modalities.Length)
            throw new ArgumentException($"Mask has {kept.GetLength(1)} columns for {modalities.Length} modalities ({string.Join(", ", modalities)}).");
        Modalities = modalities;
        Kept = kept;
    }

    public string[] Modalities { get; }
    public bool[,] Kept { get; }
    public int Count => Kept.GetLength(0);
    public string Protocol { get; init; } = "";
    public Dictionary<string, string> Parameters { get; init; } = new();

    public bool Has(int sample, string modality) => Kept[sample, Column(modality)];

    public int Column(string modality)
    {
        int c = Array.IndexOf(Modalities, modality);
        if (c < 0) throw new ArgumentException($"Mask has no modality '{modality}' (it has {string.Join(", ", Modalities)}).");
        return c;
    }

    /// <summary>Fraction of missing entries.</summary>
    public double MissingRate => Missing.CpmMask.MissingRate(Kept);

    /// <summary>Samples keeping exactly k modalities, for k = 0..V, as fractions.</summary>
    public double[] Composition()
    {
        var counts = new double[Modalities.Length + 1];
        for (int i = 0; i < Count; i++)
        {
            int k = 0;
            for (int v = 0; v < Modalities.Length; v++) if (Kept[i, v]) k++;
            counts[k]++;
        }
        return counts.Select(c => c / Math.Max(1, Count)).ToArray();
    }

    /// <summary>A CPM-Net mask (MLA Table 2 / GCNet) over the dataset's modalities.</summary>
    public static ModalityMask Cpm(IReadOnlyList<string> modalities, int n, double eta, ulong seed) =>
        new(modalities.ToArray(), CpmMask.Generate(modalities.Count, n, eta, seed))
        {
            Protocol = "cpm",
            Parameters = new() { ["eta"] = eta.ToString("R", System.Globalization.CultureInfo.InvariantCulture), ["seed"] = seed.ToString() },
        };

    /// <summary>A MAP missing table (U2A / MAP on Food-101 and MM-IMDb) over (image, text).</summary>
    public static ModalityMask Map(IReadOnlyList<string> modalities, int n, MapMissingType type, double eta, ulong seed,
        string image = Data.Modalities.Image, string text = Data.Modalities.Text, double bothRatio = 0.5)
    {
        var table = MapMissingTable.Generate(n, type, eta, seed, bothRatio);
        var mask = MapMissingTable.ToMask(table, modalities, image, text, "map");
        mask.Parameters["type"] = type.ToString().ToLowerInvariant();
        mask.Parameters["eta"] = eta.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        mask.Parameters["bothRatio"] = bothRatio.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        mask.Parameters["seed"] = seed.ToString();
        return mask;
    }

    /// <summary>
    /// MLA Figure 2's training-time mask: int(N * fraction) samples, chosen by a seeded permutation, lose
    /// <paramref name="modality"/>; every other entry is kept. (QMF's code, the only released one, drops the LAST
    /// int(N * p) entries of its training list, MLA dataset.py:98-104; a list in no particular order, so a fixed subset
    /// of that size either way.)
    /// </summary>
    public static ModalityMask DropOne(IReadOnlyList<string> modalities, int n, string modality, double fraction, ulong seed)
    {
        if (fraction is < 0 or > 1) throw new ArgumentException($"Missing-training fraction {fraction} must be in [0, 1].");
        int column = modalities.ToList().IndexOf(modality);
        if (column < 0) throw new ArgumentException($"Cannot drop modality '{modality}': the dataset has {string.Join(", ", modalities)}.");
        var kept = new bool[n, modalities.Count];
        for (int i = 0; i < n; i++) for (int v = 0; v < modalities.Count; v++) kept[i, v] = true;
        foreach (var i in new Rng(seed).Permutation(n).Take((int)(n * fraction))) kept[i, column] = false;
        return new ModalityMask(modalities.ToArray(), kept)
        {
            Protocol = "drop-one",
            Parameters = new()
            {
                ["modality"] = modality, ["fraction"] = fraction.ToString("R", System.Globalization.CultureInfo.InvariantCulture), ["seed"] = seed.ToString(),
            },
        };
    }

    /// <summary>The dataset with this mask applied: masked modalities become null (missing).</summary>
    public IMultimodalDataset Apply(IMultimodalDataset dataset) => new MaskedDataset(dataset, this);

    sealed record FileForm(
        [property: JsonPropertyName("protocol")] string Protocol,
        [property: JsonPropertyName("modalities")] string[] Modalities,
        [property: JsonPropertyName("parameters")] Dictionary<string, string> Parameters,
        [property: JsonPropertyName("count")] int Count,
        [property: JsonPropertyName("rows")] string[] Rows);

    public void Save(string path)
    {
        var rows = new string[Count];
        for (int i = 0; i < Count; i++)
            rows[i] = new string(Enumerable.Range(0, Modalities.Length).Select(v => Kept[i, v] ? '1' : '0').ToArray());
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(new FileForm(Protocol, Modalities, Parameters, Count, rows), new JsonSerializerOptions { WriteIndented = true }));
    }

    public static ModalityMask Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: mask file not found.", path);
        FileForm f;
        try { f = JsonSerializer.Deserialize<FileForm>(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path}: empty mask file."); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: not a mask file ({e.Message}).", e); }
        if (f.Modalities is null || f.Rows is null) throw new InvalidDataException($"{path}: mask file needs 'modalities' and 'rows'.");
        if (f.Rows.Length != f.Count) throw new InvalidDataException($"{path}: field 'count' says {f.Count} samples, 'rows' has {f.Rows.Length}.");
        var kept = new bool[f.Rows.Length, f.Modalities.Length];
        for (int i = 0; i < f.Rows.Length; i++)
        {
            var r = f.Rows[i];
            if (r.Length != f.Modalities.Length || r.Any(c => c is not ('0' or '1')))
                throw new InvalidDataException($"{path}: rows[{i}] is '{r}'; expected {f.Modalities.Length} characters of 0/1 ({string.Join(", ", f.Modalities)}).");
            for (int v = 0; v < r.Length; v++) kept[i, v] = r[v] == '1';
        }
        return new ModalityMask(f.Modalities, kept) { Protocol = f.Protocol ?? "", Parameters = f.Parameters ?? new() };
    }

    /// <summary>
    /// The mask saved at <paramref name="path"/> if present (checked against the dataset), else made and saved: runs share
    /// it, and processes sharing the results store make it once (the lease <c>&lt;path&gt;.lock</c>).
    /// </summary>
    public static ModalityMask LoadOrCreate(string path, Func<ModalityMask> create)
    {
        if (File.Exists(path)) return Load(path);
        using var making = FileLease.Acquire(path + ".lock");
        if (File.Exists(path)) return Load(path);
        var m = create();
        m.Save(path);
        return m;
    }
}
