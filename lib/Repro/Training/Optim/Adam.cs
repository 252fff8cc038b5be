using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Repro.Training.Optim;

/// <summary>
/// torch.optim.Adam (Kingma and Ba, Algorithm 1, with PyTorch's bias-corrected denominator; weight decay added to the
/// gradient), every scalar held for its native call (see <see cref="SGD"/>). <see cref="AdamW"/> decouples the decay.
/// </summary>
public class Adam : TorchSharp.Modules.Adam
{
    readonly bool _decoupled;

    public Adam(IEnumerable<Parameter> parameters, double lr, double weightDecay = 0, bool amsgrad = false)
        : this(parameters, lr, weightDecay, amsgrad, decoupled: false) { }

    protected Adam(IEnumerable<Parameter> parameters, double lr, double weightDecay, bool amsgrad, bool decoupled)
        : base(parameters, lr, weight_decay: weightDecay, amsgrad: amsgrad) => _decoupled = decoupled;

    public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(group =>
    {
        var o = group.Options;
        double lr = o.LearningRate!.Value, wd = o.weight_decay!.Value, beta1 = o.beta1!.Value, beta2 = o.beta2!.Value;
        using var wdS = wd.ToScalar();
        using var decay = (1 - lr * wd).ToScalar();
        using var b1 = beta1.ToScalar();
        using var b2 = beta2.ToScalar();
        using var keep1 = (1 - beta1).ToScalar();
        using var keep2 = (1 - beta2).ToScalar();
        using var eps = o.eps!.Value.ToScalar();
        using var one = 1.0.ToScalar(); // add_(Scalar) alone would pass a temporary alpha of 1
        foreach (var param in group.Parameters)
        {
            var grad = param.grad;
            if (grad is null) continue;
            if (o.maximize!.Value) grad = grad.neg();
            var state = (State)_state[param.Handle];
            state.step += 1;
            if (_decoupled) param.mul_(decay);
            else if (wd != 0) grad = grad.add(param, wdS);
            double correction1 = 1 - Math.Pow(beta1, state.step), correction2 = 1 - Math.Pow(beta2, state.step);
            using var root = Math.Sqrt(correction2).ToScalar();
            using var stepSize = (-lr / correction1).ToScalar();
            state.exp_avg.mul_(b1).add_(grad, keep1);
            state.exp_avg_sq.mul_(b2).addcmul_(grad, grad.conj(), keep2);
            var second = state.exp_avg_sq;
            if (state.max_exp_avg_sq is { } previous)
            {
                state.max_exp_avg_sq = maximum(previous, second).DetachFromDisposeScope();
                previous.Dispose();
                second = state.max_exp_avg_sq;
            }
            param.addcdiv_(state.exp_avg, second.sqrt().div_(root).add_(eps, one), stepSize);
        }
    }, closure);
}
