namespace Repro.Data.Missing;

/// <summary>Which modality MAP's protocol takes away: text, image, or both (half text, half image).</summary>
public enum MapMissingType { Text, Image, Both }

/// <summary>
/// MAP's missing tables (YiLunLee/missing_aware_prompts, mmimdb_dataset.py / food101_dataset.py; docs/missing-modality.md#map-tables),
/// used by U2A: per split, <c>missing_index = random.sample(range(N), int(N * eta))</c>; type text marks them 1, image 2,
/// both marks them all 1 and then <c>random.sample(missing_index, int(len * both_ratio))</c> of them 2; 0 = complete.
/// "missing-both eta 0.7" is therefore 35% text missing, 35% image missing, 30% complete, none missing both.
/// Seeded with the kit's <see cref="Rng"/> (Python's random module is not replayed); saved and reloaded through
/// <see cref="ModalityMask"/> so runs share one table.
/// </summary>
public static class MapMissingTable
{
    public const int Complete = 0, TextMissing = 1, ImageMissing = 2;

    public static int[] Generate(int n, MapMissingType type, double eta, ulong seed, double bothRatio = 0.5)
    {
        if (n < 0) throw new ArgumentOutOfRangeException(nameof(n));
        if (eta < 0 || eta > 1) throw new ArgumentOutOfRangeException(nameof(eta), eta, "MAP table: missing ratio must be in [0, 1].");
        var rng = new Rng(Rng.Derive(seed, 502));
        var table = new int[n];
        var missing = Sample(rng, Enumerable.Range(0, n).ToArray(), (int)(n * eta));
        foreach (var i in missing) table[i] = type == MapMissingType.Image ? ImageMissing : TextMissing;
        if (type == MapMissingType.Both)
            foreach (var i in Sample(rng, missing, (int)(missing.Length * bothRatio))) table[i] = ImageMissing;
        return table;
    }

    /// <summary>k distinct elements in selection order, as random.sample (partial Fisher-Yates).</summary>
    static int[] Sample(Rng rng, int[] population, int k)
    {
        var pool = (int[])population.Clone();
        for (int i = 0; i < k; i++)
        {
            int j = i + rng.NextInt(pool.Length - i);
            (pool[i], pool[j]) = (pool[j], pool[i]);
        }
        return pool[..k];
    }

    /// <summary>The table as a mask over (image, text) columns in the order of <paramref name="modalities"/>.</summary>
    public static ModalityMask ToMask(int[] table, IReadOnlyList<string> modalities, string imageModality, string textModality, string protocol)
    {
        int ii = IndexOf(modalities, imageModality), ti = IndexOf(modalities, textModality);
        var m = new bool[table.Length, modalities.Count];
        for (int i = 0; i < table.Length; i++)
        {
            for (int v = 0; v < modalities.Count; v++) m[i, v] = true;
            if (table[i] == TextMissing) m[i, ti] = false;
            else if (table[i] == ImageMissing) m[i, ii] = false;
            else if (table[i] != Complete) throw new ArgumentException($"MAP table entry {i} is {table[i]}; expected 0, 1 or 2.");
        }
        return new ModalityMask(modalities.ToArray(), m) { Protocol = protocol };
    }

    static int IndexOf(IReadOnlyList<string> modalities, string m)
    {
        for (int i = 0; i < modalities.Count; i++) if (modalities[i] == m) return i;
        throw new ArgumentException($"MAP table: modality '{m}' is not one of {string.Join(", ", modalities)}.");
    }
}
