using Repro.Data;
using Repro.Methods;
using static TorchSharp.torch;

namespace Repro.Evaluation;

/// <summary>One point of a 2-D picture: its group (for <see cref="ModalityGap.Project"/>, the embedding's modality) and coordinates.</summary>
public sealed record ProjectedPoint(string Group, double X, double Y);

/// <summary>What <see cref="ModalityGap.Analyse"/> measures on a test split: the gap, the samples counted per modality, and the 2-D projection.</summary>
public sealed record ModalityGapResult(string First, string Second, double Gap, long FirstCount, long SecondCount, IReadOnlyList<ProjectedPoint> Points)
{
    /// <summary>The metrics a table row reads: "gap", and the sample counts "n_{modality}".</summary>
    public Dictionary<string, double> Metrics => new()
    {
        ["gap"] = Gap, ["n_" + First] = FirstCount, ["n_" + Second] = SecondCount,
    };
}

/// <summary>
/// The modality gap of Liang et al. (NeurIPS 2022, "Mind the Gap", §3): the distance between the centroids of two
/// modalities' embeddings once each embedding is scaled to unit length, ||mean_i x_i/||x_i|| - mean_j y_j/||y_j|| ||.
/// MLA §4.3.3 (Figure 3) compares it for Concat and MLA on Food-101's image and text embeddings; here the embeddings are
/// the encoders' outputs, what a fusion head or MLA's shared head receives. On the unit sphere the gap lies in [0, 2]:
/// 0 when the two centroids coincide, 2 only when every embedding of one modality is the negation of every one of the other.
/// </summary>
public static class ModalityGap
{
    /// <summary>The gap between embeddings <paramref name="first"/> (N, d) and <paramref name="second"/> (M, d).</summary>
    public static double Gap(Tensor first, Tensor second)
    {
        Check(first, second);
        using var scope = NewDisposeScope();
        var a = Normalise(first).mean([0]);
        var b = Normalise(second).mean([0]);
        return (a - b).norm().item<double>();
    }

    /// <summary>Each row scaled to unit L2 norm (in float64, so a gap is not limited by float32's rounding).</summary>
    public static Tensor Normalise(Tensor x) => nn.functional.normalize(x.to(ScalarType.Float64), p: 2, dim: 1);

    /// <summary>
    /// The pooled unit-length embeddings of both modalities, centred on their joint mean, on their first two principal
    /// components (SVD of the centred matrix), first's rows then second's: Figure 3's picture of the two clusters. A
    /// component's sign is arbitrary; it is chosen so that <paramref name="first"/>'s centroid has coordinates >= 0.
    /// </summary>
    public static Tensor Project(Tensor first, Tensor second)
    {
        Check(first, second);
        using var scope = NewDisposeScope();
        var pooled = cat([Normalise(first), Normalise(second)], 0);
        var centred = pooled - pooled.mean([0], keepdim: true);
        var (_, _, vh) = linalg.svd(centred, fullMatrices: false);
        var components = vh[..2].t();                                     // (d, 2)
        var projected = centred.matmul(components);                        // (N + M, 2)
        var sign = projected[..(int)first.shape[0]].mean([0]).sign();
        sign = where(sign.eq(0), ones_like(sign), sign);
        return (projected * sign).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Encodes a split with a method's model (evaluation mode, no gradients) and measures the gap between its two
    /// modalities' encoder outputs; a sample counts for a modality only where it has that modality.
    /// </summary>
    public static ModalityGapResult Analyse(Method method, DataLoader loader, Device? device = null)
    {
        var ms = method.Modalities;
        if (ms.Count != 2) throw new ArgumentException($"The modality gap compares two modalities; the model has {ms.Count} ({string.Join(", ", ms)}).");
        var model = method.Model;
        if (model.FeatureDim(ms[0]) != model.FeatureDim(ms[1]))
            throw new ArgumentException($"The modality gap compares embeddings of one space; {ms[0]}'s have {model.FeatureDim(ms[0])} dimensions, {ms[1]}'s {model.FeatureDim(ms[1])}.");
        bool wasTraining = model.training;
        model.eval();
        var kept = ms.ToDictionary(m => m, _ => new List<Tensor>());
        try
        {
            using (no_grad())
                foreach (var indices in loader.Plan(0))
                {
                    using var batchScope = NewDisposeScope();
                    var batch = loader.Load(indices, 0).To(device ?? CPU);
                    var features = model.Encode(batch);
                    foreach (var m in ms)
                        kept[m].Add(features[m].index(batch.Available[m]).to(ScalarType.Float64).cpu().DetachFromDisposeScope());
                }
            using var scope = NewDisposeScope();
            var first = cat(kept[ms[0]].ToArray(), 0);
            var second = cat(kept[ms[1]].ToArray(), 0);
            var xy = Project(first, second).contiguous().data<double>().ToArray();
            int n = (int)first.shape[0];
            var points = Enumerable.Range(0, xy.Length / 2).Select(i => new ProjectedPoint(i < n ? ms[0] : ms[1], xy[2 * i], xy[2 * i + 1])).ToArray();
            return new ModalityGapResult(ms[0], ms[1], Gap(first, second), first.shape[0], second.shape[0], points);
        }
        finally
        {
            foreach (var list in kept.Values) foreach (var t in list) t.Dispose();
            if (wasTraining) model.train();
        }
    }

    static void Check(Tensor first, Tensor second)
    {
        if (first.dim() != 2 || second.dim() != 2 || first.shape[1] != second.shape[1])
            throw new ArgumentException($"The modality gap needs two (N, d) matrices of the same d; got ({string.Join(", ", first.shape)}) and ({string.Join(", ", second.shape)}).");
        if (first.shape[0] == 0 || second.shape[0] == 0)
            throw new ArgumentException("The modality gap needs at least one embedding of each modality.");
    }
}
