using static TorchSharp.torch;

namespace Repro.Methods.Cca;

/// <summary>
/// The correlation objective of Deep CCA (Andrew et al., ICML 2013, eq. 10-12) as GCNet's DCCA/DCCAE compute it for
/// each pair of views (baseline-cca/dcca.py:41-99, dccae.py pairloss; docs/missing-modality.md#dcca): with H1, H2 the
/// (N, o) outputs, centred, S11 = H1'H1/(N-1) + r1 I, S22 likewise with r2, S12 = H1'H2/(N-1); S^-1/2 from the
/// eigen-decomposition keeping eigenvalues above eps; T = S11^-1/2 S12 S22^-1/2; the top-k eigenvalues u of
/// T'T + r1 I, floored at eps; corr = sum sqrt(u). The three-view loss is -(corr12 + corr13 + corr23). r1 = r2 = 1e-3,
/// eps = 1e-9 as the reference. Differentiable (float64 inside, as the eigen-decompositions need).
/// </summary>
public static class DeepCcaLoss
{
    public const double Ridge = 1e-3;
    public const double Eps = 1e-9;

    /// <summary>corr of one pair (a scalar): the sum of its top-<paramref name="k"/> regularised canonical correlations.</summary>
    public static Tensor Correlation(Tensor h1, Tensor h2, int k, double ridge = Ridge)
    {
        if (h1.shape[0] != h2.shape[0]) throw new ArgumentException($"Deep CCA: the views have {h1.shape[0]} and {h2.shape[0]} rows.");
        if (h1.shape[0] < 2) throw new ArgumentException("Deep CCA needs at least two samples in a batch.");
        if (k < 1 || k > h2.shape[1]) throw new ArgumentException($"Deep CCA: k={k} must be in 1..{h2.shape[1]} (the second view's output size).");
        var x1 = h1.to_type(ScalarType.Float64);
        var x2 = h2.to_type(ScalarType.Float64);
        double n1 = x1.shape[0] - 1;
        var c1 = x1 - x1.mean([0], keepdim: true);
        var c2 = x2 - x2.mean([0], keepdim: true);
        var s11 = c1.t().matmul(c1) / n1 + eye(x1.shape[1], dtype: ScalarType.Float64) * ridge;
        var s22 = c2.t().matmul(c2) / n1 + eye(x2.shape[1], dtype: ScalarType.Float64) * ridge;
        var s12 = c1.t().matmul(c2) / n1;
        var t = InverseRoot(s11).matmul(s12).matmul(InverseRoot(s22));
        var tt = t.t().matmul(t) + eye(t.shape[1], dtype: ScalarType.Float64) * ridge;
        var u = linalg.eigvalsh(tt);
        u = where(u.gt(Eps), u, full_like(u, Eps));
        return u.topk(k).values.sqrt().sum().to_type(h1.dtype);
    }

    /// <summary>-(sum over pairs i &lt; j of corr(H_i, H_j)).</summary>
    public static Tensor Loss(IReadOnlyList<Tensor> views, int k)
    {
        if (views.Count < 2) throw new ArgumentException("Deep CCA needs at least two views.");
        return -Data.Modalities.Pairs(views.Count).Select(p => Correlation(views[p.I], views[p.J], k)).Aggregate((a, b) => a + b);
    }

    /// <summary>S^-1/2 over the eigenvalues above eps (the others dropped, as the reference does).</summary>
    static Tensor InverseRoot(Tensor s)
    {
        var (d, v) = linalg.eigh(s);
        var keep = d.gt(Eps).nonzero().flatten();
        d = d.index_select(0, keep);
        v = v.index_select(1, keep);
        return v.matmul(diag(d.rsqrt())).matmul(v.t());
    }
}
