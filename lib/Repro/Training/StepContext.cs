using Repro.Data;
using TorchSharp;
using Parameter = TorchSharp.Modules.Parameter;
using static TorchSharp.torch;

namespace Repro.Training;

/// <summary>How gradients are cleared between steps.</summary>
public enum GradReset
{
    /// <summary>PyTorch >= 2.0: gradients become absent; the optimizer skips parameters without one.</summary>
    SetToNone,
    /// <summary>PyTorch &lt; 2.0, the official code's runtime: gradients become zero tensors, so momentum and weight decay still move those parameters.</summary>
    Zero,
}

/// <summary>What a training step may use: the optimizer, where it is in training, and the gradient-reset rule.</summary>
public sealed class StepContext
{
    public required optim.Optimizer Optimizer { get; init; }
    public required nn.Module Model { get; init; }
    public required int Epoch { get; init; }
    public required int BatchIndex { get; init; }
    public required int BatchesPerEpoch { get; init; }
    public required long GlobalStep { get; init; }
    public GradReset GradReset { get; init; } = GradReset.SetToNone;
    /// <summary>
    /// Called by <see cref="Step"/> just before the optimizer applies the gradients (the trainer sets it on steps a probe
    /// samples), so an observer sees exactly what the method hands the optimizer, after its clipping or modulation.
    /// </summary>
    public Action<StepContext>? BeforeOptimizerStep { get; init; }

    /// <summary>optimizer.zero_grad() with the configured semantics.</summary>
    public void ZeroGrad()
    {
        if (GradReset == GradReset.Zero) Optimizer.zero_grad();
        else Model.zero_grad(set_to_none: true);
    }

    /// <summary>Makes gradients absent (Python `p.grad = None`), whatever the reset rule.</summary>
    public static void RemoveGrads(IEnumerable<Parameter> parameters)
    {
        foreach (var p in parameters)
        {
            using var g = p.grad;
            if (g is not null) p.grad = null;
        }
    }

    public void Step()
    {
        BeforeOptimizerStep?.Invoke(this);
        Optimizer.step();
    }
}

/// <summary>What the epoch hooks receive: the epoch (0-based), the loaders, the optimizer, and the device.</summary>
public sealed class EpochContext
{
    public required int Epoch { get; init; }
    public required int Epochs { get; init; }
    public required DataLoader Train { get; init; }
    public DataLoader? Validation { get; init; }
    /// <summary>The test split, for methods whose published code measures on it (named options only, e.g. BalanceBenchmark's held-out set).</summary>
    public DataLoader? Test { get; init; }
    /// <summary>The run's optimizer, for methods that train a temporary copy with the same settings (G-Blending).</summary>
    public optim.Optimizer? Optimizer { get; init; }
    public required Device Device { get; init; }
    /// <summary>The stage this epoch belongs to, and the epoch's position in it (0-based).</summary>
    public TrainingStage? Stage { get; init; }
    public int EpochInStage { get; init; }
}
