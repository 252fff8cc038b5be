using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Training.Optim;

/// <summary>
/// The update torch.optim.Adam and AdamW share once the gradient is formed (Kingma and Ba, Algorithm 1, with
/// PyTorch's bias-corrected denominator), every scalar held for its native call (see <see cref="Sgd"/>).
/// </summary>
static class AdamMoments
{
    public static void Step(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, ref Tensor? maxExpAvgSq,
        long step, double lr, double beta1, double beta2, double eps)
    {
        double correction1 = 1 - Math.Pow(beta1, step), correction2 = 1 - Math.Pow(beta2, step);
        using var b1 = beta1.ToScalar();
        using var b2 = beta2.ToScalar();
        using var keep1 = (1 - beta1).ToScalar();
        using var keep2 = (1 - beta2).ToScalar();
        using var root = Math.Sqrt(correction2).ToScalar();
        using var epsS = eps.ToScalar();
        using var one = 1.0.ToScalar(); // add_(Scalar) alone would pass a temporary alpha of 1
        using var stepSize = (-lr / correction1).ToScalar();
        expAvg.mul_(b1).add_(grad, keep1);
        expAvgSq.mul_(b2).addcmul_(grad, grad.conj(), keep2);
        var second = expAvgSq;
        if (maxExpAvgSq is not null)
        {
            var previous = maxExpAvgSq;
            maxExpAvgSq = maximum(previous, expAvgSq).DetachFromDisposeScope();
            previous.Dispose();
            second = maxExpAvgSq;
        }
        var denom = second.sqrt().div_(root).add_(epsS, one);
        param.addcdiv_(expAvg, denom, stepSize);
    }
}
