using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Repro.Training.Optim;

/// <summary>
/// torch.optim.SGD, step for step (g' = g + wd*w; buf = mu*buf + (1 - dampening)*g', buf = g' on the first step;
/// w -= lr*buf), with every scalar argument held until libtorch has read it.
/// </summary>
/// <remarks>
/// TorchSharp 0.107's own step passes doubles as temporary Scalars; a garbage collection started by another thread
/// during the native call can finalize one while libtorch reads it, and the step then fails with
/// "Unknown scalar type" or a c10 check (seen in long grids; environment.md gives the measurement). The state,
/// parameter groups and saved state are TorchSharp's, so checkpoints are unchanged.
/// </remarks>
public sealed class SGD(IEnumerable<Parameter> parameters, double lr, double momentum = 0, double dampening = 0,
    double weightDecay = 0, bool nesterov = false) : TorchSharp.Modules.SGD(parameters, lr, momentum, dampening, weightDecay, nesterov)
{
    public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(group =>
    {
        var o = group.Options;
        double mu = o.momentum!.Value, wd = o.weight_decay!.Value, lr = o.LearningRate!.Value;
        using var muS = mu.ToScalar();
        using var wdS = wd.ToScalar();
        using var keep = (1 - o.dampening!.Value).ToScalar();
        using var stepS = (o.maximize!.Value ? lr : -lr).ToScalar();
        foreach (var param in group.Parameters)
        {
            var grad = param.grad;
            if (grad is null) continue;
            if (wd != 0) grad = grad.add(param, wdS);
            if (mu != 0)
            {
                var state = (State)_state[param.Handle];
                if (state.momentum_buffer is null)
                    state.momentum_buffer = grad.clone().detach().DetachFromDisposeScope();
                else
                    state.momentum_buffer.mul_(muS).add_(grad, keep);
                grad = o.nesterov!.Value ? grad.add(state.momentum_buffer, muS) : state.momentum_buffer;
            }
            param.add_(grad, stepS);
        }
    }, closure);
}
