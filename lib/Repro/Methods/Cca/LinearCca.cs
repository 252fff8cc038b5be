using static TorchSharp.torch;

namespace Repro.Methods.Cca;

/// <summary>
/// Linear CCA of two views as GCNet's baseline computes it (baseline-cca/cca.py:26-51; docs/missing-modality.md#cca), in
/// float64: centre both views, S11 = X1'X1/(n-1) + r I, S22 likewise, S12 = X1'X2/(n-1),
/// T = S11^-1/2 S12 S22^-1/2 = U diag(rho) V', w1 = S11^-1/2 U[:, :k], w2 = S22^-1/2 V[:, :k]. rho are the canonical
/// correlations; the projections X1 w1 and X2 w2 have identity covariance (up to r) and pairwise correlations rho.
/// </summary>
public static class LinearCca
{
    public sealed record Result(Tensor Mean1, Tensor Mean2, Tensor W1, Tensor W2, Tensor Correlations);

    public static Result Fit(Tensor x1, Tensor x2, int k, double reg = 1e-4)
    {
        if (x1.shape[0] != x2.shape[0]) throw new ArgumentException($"CCA: the views have {x1.shape[0]} and {x2.shape[0]} rows.");
        if (x1.shape[0] < 2) throw new ArgumentException("CCA needs at least two samples.");
        if (k < 1 || k > Math.Min(x1.shape[1], x2.shape[1])) throw new ArgumentException($"CCA: k={k} must be in 1..{Math.Min(x1.shape[1], x2.shape[1])}.");
        using var scope = NewDisposeScope();
        x1 = x1.to_type(ScalarType.Float64);
        x2 = x2.to_type(ScalarType.Float64);
        var m1 = x1.mean([0]);
        var m2 = x2.mean([0]);
        var c1 = x1 - m1;
        var c2 = x2 - m2;
        double n1 = x1.shape[0] - 1;
        var s11 = c1.t().matmul(c1) / n1 + eye(x1.shape[1], dtype: ScalarType.Float64) * reg;
        var s22 = c2.t().matmul(c2) / n1 + eye(x2.shape[1], dtype: ScalarType.Float64) * reg;
        var s12 = c1.t().matmul(c2) / n1;
        var r1 = InverseSqrt(s11);
        var r2 = InverseSqrt(s22);
        var (u, s, vh) = linalg.svd(r1.matmul(s12).matmul(r2), fullMatrices: false);
        var w1 = r1.matmul(u.narrow(1, 0, k));
        var w2 = r2.matmul(vh.narrow(0, 0, k).t());
        return new Result(m1.MoveToOuterDisposeScope(), m2.MoveToOuterDisposeScope(), w1.MoveToOuterDisposeScope(),
            w2.MoveToOuterDisposeScope(), s.narrow(0, 0, k).MoveToOuterDisposeScope());
    }

    /// <summary>S^-1/2 of a symmetric positive definite matrix, by its eigen-decomposition.</summary>
    public static Tensor InverseSqrt(Tensor s)
    {
        var (d, v) = linalg.eigh(s);
        return v.matmul(diag(d.clamp_min(1e-12).rsqrt())).matmul(v.t());
    }
}
