using TorchSharp.Modules;

namespace Repro.Training.Optim;

/// <summary>torch.optim.AdamW: <see cref="Adam"/> with decoupled weight decay, w *= 1 - lr*wd before the update.</summary>
public sealed class AdamW(IEnumerable<Parameter> parameters, double lr, double weightDecay = 0.01, bool amsgrad = false)
    : Adam(parameters, lr, weightDecay, amsgrad, decoupled: true);
