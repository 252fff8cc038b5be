using static TorchSharp.torch;

namespace Repro.Methods.Cca;

/// <summary>
/// A linear SVM as scikit-learn's LinearSVC(C, dual=False) defines it, the classifier GCNet puts on CCA/DCCA features
/// (cca.py:134-172): one-vs-rest, squared hinge, L2 penalty, intercept as an extra feature of value 1 that is penalised
/// too (liblinear's intercept_scaling = 1). Per class c with y = +-1 it minimises
/// 0.5 |w|^2 + C sum_i max(0, 1 - y_i w'x_i)^2, solved here by Newton's method with the generalised Hessian
/// I + 2C X_A'X_A over the margin violators A and a backtracking line search (liblinear uses a trust-region Newton
/// method on the same objective), written on TorchSharp in float64. Prediction: argmax of the decision values.
/// </summary>
public static class LinearSvm
{
    /// <summary>Weights (D + 1, classes), the last row the intercept.</summary>
    public static Tensor Fit(Tensor x, long[] labels, int classes, double c, int maxIterations = 100, double tolerance = 1e-8)
    {
        if (x.shape[0] != labels.Length) throw new ArgumentException($"SVM: {x.shape[0]} rows and {labels.Length} labels.");
        if (c <= 0) throw new ArgumentException($"SVM: C={c} must be positive.");
        using var scope = NewDisposeScope();
        var xt = Augment(x);
        var columns = new Tensor[classes];
        var y = tensor(labels);
        for (int k = 0; k < classes; k++)
        {
            var yk = where(y.eq(k), 1.0, -1.0).to_type(ScalarType.Float64);
            columns[k] = Solve(xt, yk, c, maxIterations, tolerance);
        }
        return stack(columns, 1).MoveToOuterDisposeScope();
    }

    /// <summary>Decision values (N, classes).</summary>
    public static Tensor Decision(Tensor x, Tensor weights) => Augment(x).matmul(weights);

    /// <summary>The primal objective of one class's weights (for checks).</summary>
    public static double Objective(Tensor xAugmented, Tensor y, Tensor w, double c)
    {
        using var scope = NewDisposeScope();
        var margin = (1 - y * xAugmented.matmul(w)).clamp_min(0);
        return (0.5 * w.dot(w) + c * margin.dot(margin)).item<double>();
    }

    /// <summary>[x, 1] in float64.</summary>
    public static Tensor Augment(Tensor x) => cat([x.to_type(ScalarType.Float64), ones(x.shape[0], 1, dtype: ScalarType.Float64)], 1);

    static Tensor Solve(Tensor x, Tensor y, double c, int maxIterations, double tolerance)
    {
        long d = x.shape[1];
        var w = zeros(d, dtype: ScalarType.Float64);
        double f = Objective(x, y, w, c);
        for (int it = 0; it < maxIterations; it++)
        {
            var margin = 1 - y * x.matmul(w);
            var active = margin.gt(0);
            var xa = x.index_select(0, active.nonzero().flatten());
            var g = w - 2 * c * xa.t().matmul((y * margin).masked_select(active));
            if (g.norm().item<double>() < tolerance * (1 + Math.Abs(f))) break;
            var h = eye(d, dtype: ScalarType.Float64) + 2 * c * xa.t().matmul(xa);
            var step = linalg.solve(h, -g);
            double slope = g.dot(step).item<double>(), t = 1;
            double fNew = Objective(x, y, w + step, c);
            while (fNew > f + 1e-4 * t * slope && t > 1e-10)
            {
                t *= 0.5;
                fNew = Objective(x, y, w + step * t, c);
            }
            w = w + step * t;
            if (f - fNew < 1e-14 * (1 + Math.Abs(f))) { f = fNew; break; }
            f = fNew;
        }
        return w;
    }
}
