using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Repro.Training.Optim;

/// <summary>torch.optim.AdamW (decoupled weight decay w *= 1 - lr*wd), with held scalars (see <see cref="Sgd"/>).</summary>
public sealed class AdamW(IEnumerable<Parameter> parameters, double lr, double weightDecay = 0.01, bool amsgrad = false)
    : TorchSharp.Modules.AdamW(parameters, lr, weight_decay: weightDecay, amsgrad: amsgrad)
{
    public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(group =>
    {
        var o = group.Options;
        double lr = o.LearningRate!.Value;
        using var decay = (1 - lr * o.weight_decay!.Value).ToScalar();
        foreach (var param in group.Parameters)
        {
            var grad = param.grad;
            if (grad is null) continue;
            if (o.maximize!.Value) grad = grad.neg();
            var state = (State)_state[param.Handle];
            state.step += 1;
            param.mul_(decay);
            AdamMoments.Step(param, grad, state.exp_avg, state.exp_avg_sq, ref state.max_exp_avg_sq, state.step,
                lr, o.beta1!.Value, o.beta2!.Value, o.eps!.Value);
        }
    }, closure);
}
