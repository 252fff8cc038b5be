namespace Repro.Data.Missing;

/// <summary>
/// The CPM-Net random mask that MLA (Table 2) and GCNet's baselines use (CPM util/get_sn.py `random_mask`;
/// docs/missing-modality.md#cpm-net-mask), step for step: eta is the fraction of missing entries of the N x V matrix; every sample
/// keeps at least one modality; when 1 - eta &lt;= 1/V every sample keeps exactly one modality, uniform over V (the
/// 0.005 tolerance does not apply there: the kept fraction is 1/V, docs/missing-modality.md#cpm-net-mask); otherwise one guaranteed view per
/// sample plus Bernoulli extras whose probability is truncated to whole percent (int(r*100) against randint(0,100)),
/// corrected once for the overlap with the guaranteed view, redrawn until |kept - (1 - eta)| &lt; 0.005.
/// The random numbers come from the kit's seeded <see cref="Rng"/>, not numpy's global generator, so the algorithm is
/// the same and the draws differ from a Python run.
/// </summary>
public static class CpmMask
{
    public const double Tolerance = 0.005;

    /// <summary>An N x V mask (true = kept) for <paramref name="views"/> modalities at missing rate <paramref name="eta"/>.</summary>
    public static bool[,] Generate(int views, int n, double eta, ulong seed, int maxAttempts = 100_000)
    {
        if (views < 1) throw new ArgumentOutOfRangeException(nameof(views), views, "CPM mask: at least one modality.");
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, "CPM mask: at least one sample.");
        if (eta < 0 || eta >= 1) throw new ArgumentOutOfRangeException(nameof(eta), eta, "CPM mask: missing rate must be in [0, 1).");
        var rng = new Rng(Rng.Derive(seed, 501));
        double one = 1 - eta;
        var mask = new bool[n, views];
        if (one <= 1.0 / views)
        {
            for (int i = 0; i < n; i++) mask[i, rng.NextInt(views)] = true;
            return mask;
        }
        if (one == 1)
        {
            for (int i = 0; i < n; i++) for (int v = 0; v < views; v++) mask[i, v] = true;
            return mask;
        }
        for (int attempt = 0; attempt < maxAttempts; attempt++)
        {
            var guaranteed = new int[n];
            for (int i = 0; i < n; i++) guaranteed[i] = rng.NextInt(views);
            double total = (double)views * n;
            double k = total * one - n;
            double r = k / total;
            // first draw: only its overlap with the guaranteed views is used, to correct r
            int threshold = (int)(r * 100);
            long overlap = 0;
            for (int i = 0; i < n; i++)
                for (int v = 0; v < views; v++)
                    if (rng.NextInt(100) < threshold && guaranteed[i] == v) overlap++;
            r = k / (1 - overlap / k) / total;
            threshold = (int)(r * 100);
            long kept = 0;
            for (int i = 0; i < n; i++)
                for (int v = 0; v < views; v++)
                {
                    bool m = guaranteed[i] == v || rng.NextInt(100) < threshold;
                    mask[i, v] = m;
                    if (m) kept++;
                }
            if (Math.Abs(one - kept / total) < Tolerance) return mask;
        }
        throw new InvalidOperationException($"CPM mask: no draw within {Tolerance} of the kept fraction {one} after {maxAttempts} attempts (N={n}, V={views}); N may be too small for this rate.");
    }

    /// <summary>Fraction of missing entries of a mask (eta realised).</summary>
    public static double MissingRate(bool[,] mask)
    {
        long missing = 0;
        foreach (var b in mask) if (!b) missing++;
        return (double)missing / mask.Length;
    }
}
