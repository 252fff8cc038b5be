using Repro.Data;
using static TorchSharp.torch;

namespace Repro.Methods.DiagnosingRelearning;

/// <summary>
/// K-means as scikit-learn's KMeans (1.2 defaults) does it, seeded and deterministic: greedy k-means++ seeding
/// (2 + floor(ln k) candidates per centre, drawn in proportion to the squared distance to the nearest chosen centre),
/// Lloyd iterations until the labels stop changing or the total squared centre shift falls to tol times the mean
/// per-feature variance (at most max_iter), an empty cluster re-seeded at the point farthest from its centre,
/// n_init restarts keeping the lowest inertia. Computations in float64. The draws come from <see cref="Rng"/>, not
/// NumPy's generator, so the clusters can differ from scikit-learn's for the same seed (the algorithm is the same).
/// Used by Diagnosing &amp; Re-learning's purity diagnosis (ours.py:108-110: KMeans(n_clusters, random_state=0)).
/// </summary>
public sealed class KMeans
{
    public KMeans(int clusters, ulong seed = 0, int nInit = 10, int maxIter = 300, double tol = 1e-4)
    {
        if (clusters < 1) throw new ArgumentOutOfRangeException(nameof(clusters), "K-means needs at least one cluster.");
        if (nInit < 1) throw new ArgumentOutOfRangeException(nameof(nInit), "K-means needs at least one initialisation.");
        Clusters = clusters; Seed = seed; NInit = nInit; MaxIter = maxIter; Tol = tol;
    }

    public int Clusters { get; }
    public ulong Seed { get; }
    public int NInit { get; }
    public int MaxIter { get; }
    public double Tol { get; }

    /// <summary>Cluster ids (0..k-1) of the rows of <paramref name="x"/> (n x d), from the best of n_init runs.</summary>
    public long[] FitPredict(Tensor x) => Fit(x).Labels;

    public static long[] FitPredict(Tensor x, int clusters, ulong seed = 0) => new KMeans(clusters, seed).FitPredict(x);

    /// <summary>Labels, inertia (sum of squared distances to the assigned centres) and centres (k x d, float64) of the best run.</summary>
    public (long[] Labels, double Inertia, double[,] Centers) Fit(Tensor x)
    {
        using var scope = NewDisposeScope();
        var data = x.detach().cpu().to_type(ScalarType.Float64);
        long n = data.shape[0];
        if (data.dim() != 2) throw new ArgumentException("K-means expects an (n, d) matrix.");
        if (n < Clusters) throw new ArgumentException($"K-means: {n} samples cannot form {Clusters} clusters.");
        double tol = data.var(0, unbiased: false).mean().item<double>() * Tol;
        var rng = new Rng(Rng.Derive(Seed, 0x6B6D));
        long[]? bestLabels = null;
        double bestInertia = double.PositiveInfinity;
        Tensor? bestCenters = null;
        for (int run = 0; run < NInit; run++)
        {
            var centers = PlusPlus(data, rng);
            var (labels, inertia, final) = Lloyd(data, centers, tol);
            if (inertia < bestInertia)
            {
                bestInertia = inertia;
                bestLabels = labels;
                bestCenters = final;
            }
        }
        var c = bestCenters!;
        var arr = new double[Clusters, c.shape[1]];
        var flat = c.data<double>().ToArray();
        for (int i = 0; i < Clusters; i++)
            for (int j = 0; j < c.shape[1]; j++) arr[i, j] = flat[i * c.shape[1] + j];
        return (bestLabels!, bestInertia, arr);
    }

    /// <summary>||x_i - c_j||^2 (n x k) as ||x||^2 - 2 x.c + ||c||^2, clamped at 0 (sklearn euclidean_distances).</summary>
    static Tensor SquaredDistances(Tensor x, Tensor centers) =>
        (x.pow(2).sum(1, keepdim: true) - 2 * x.matmul(centers.t()) + centers.pow(2).sum(1).unsqueeze(0)).clamp_min(0);

    /// <summary>Greedy k-means++ (sklearn _kmeans_plusplus).</summary>
    Tensor PlusPlus(Tensor x, Rng rng)
    {
        long n = x.shape[0];
        int trials = 2 + (int)Math.Log(Clusters);
        var chosen = new List<long> { rng.NextInt((int)n) };
        var closest = SquaredDistances(x, x[chosen[0]].unsqueeze(0)).squeeze(1);
        double potential = closest.sum().item<double>();
        for (int c = 1; c < Clusters; c++)
        {
            var cumulative = closest.cumsum(0).data<double>().ToArray();
            long best = -1;
            double bestPotential = double.PositiveInfinity;
            Tensor? bestClosest = null;
            for (int t = 0; t < trials; t++)
            {
                double r = rng.NextDouble() * potential;
                long candidate = Math.Min(LowerBound(cumulative, r), n - 1);
                var d = minimum(closest, SquaredDistances(x, x[candidate].unsqueeze(0)).squeeze(1));
                double p = d.sum().item<double>();
                if (p < bestPotential) { bestPotential = p; best = candidate; bestClosest = d; }
            }
            chosen.Add(best);
            closest = bestClosest!;
            potential = bestPotential;
        }
        return x.index_select(0, tensor(chosen.ToArray()));
    }

    static long LowerBound(double[] sorted, double value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) / 2;
            if (sorted[mid] < value) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    (long[] Labels, double Inertia, Tensor Centers) Lloyd(Tensor x, Tensor centers, double tol)
    {
        long n = x.shape[0];
        long[]? previous = null;
        for (int it = 0; it < MaxIter; it++)
        {
            var dist = SquaredDistances(x, centers);
            var labelsT = dist.argmin(1);
            var labels = labelsT.data<long>().ToArray();
            var sums = zeros(Clusters, x.shape[1], ScalarType.Float64).index_add_(0, labelsT, x, 1);
            var counts = bincount(labelsT, minlength: Clusters).to_type(ScalarType.Float64);
            var updated = sums / counts.clamp_min(1).unsqueeze(1);
            var empty = counts.eq(0).nonzero().flatten().data<long>().ToArray();
            if (empty.Length > 0)
            {
                // sklearn _relocate_empty_clusters: the points farthest from their centres become the empty clusters' centres.
                var own = dist.gather(1, labelsT.unsqueeze(1)).squeeze(1);
                var far = own.argsort(descending: true).data<long>().Take(empty.Length).ToArray();
                for (int e = 0; e < empty.Length; e++) updated[empty[e]] = x[far[e]];
            }
            double shift = (updated - centers).pow(2).sum().item<double>();
            centers = updated;
            if (previous is not null && labels.SequenceEqual(previous)) break;
            previous = labels;
            if (shift <= tol) break;
        }
        var finalDist = SquaredDistances(x, centers);
        var final = finalDist.argmin(1);
        double inertia = finalDist.gather(1, final.unsqueeze(1)).sum().item<double>();
        return (final.data<long>().ToArray(), inertia, centers);
    }

    /// <summary>(1/n) * sum over clusters of the count of the cluster's most frequent true label (ours.py:63-95).</summary>
    public static double Purity(IReadOnlyList<long> clusters, IReadOnlyList<long> labels)
    {
        if (clusters.Count != labels.Count) throw new ArgumentException("Purity: clusters and labels differ in length.");
        if (clusters.Count == 0) throw new ArgumentException("Purity of an empty set is undefined.");
        long majority = clusters.Zip(labels).GroupBy(p => p.First)
            .Sum(g => g.GroupBy(p => p.Second).Max(h => (long)h.Count()));
        return (double)majority / clusters.Count;
    }
}
