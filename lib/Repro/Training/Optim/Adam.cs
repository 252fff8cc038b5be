using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Repro.Training.Optim;

/// <summary>torch.optim.Adam (L2 weight decay added to the gradient), with held scalars (see <see cref="Sgd"/>).</summary>
public sealed class Adam(IEnumerable<Parameter> parameters, double lr, double weightDecay = 0, bool amsgrad = false)
    : TorchSharp.Modules.Adam(parameters, lr, weight_decay: weightDecay, amsgrad: amsgrad)
{
    public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(group =>
    {
        var o = group.Options;
        double wd = o.weight_decay!.Value;
        using var wdS = wd.ToScalar();
        foreach (var param in group.Parameters)
        {
            var grad = param.grad;
            if (grad is null) continue;
            if (o.maximize!.Value) grad = grad.neg();
            var state = (State)_state[param.Handle];
            state.step += 1;
            if (wd != 0) grad = grad.add(param, wdS);
            AdamMoments.Step(param, grad, state.exp_avg, state.exp_avg_sq, ref state.max_exp_avg_sq, state.step,
                o.LearningRate!.Value, o.beta1!.Value, o.beta2!.Value, o.eps!.Value);
        }
    }, closure);
}
