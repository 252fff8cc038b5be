using Repro.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Models.Encoders;

/// <summary>
/// torch.nn.BatchNorm2d (same parameters, buffers and names, same arithmetic) whose batch counter steps by a held scalar:
/// TorchSharp's own module adds a temporary <c>1</c> to <c>num_batches_tracked</c> on every training call, the kit's most
/// frequent temporary scalar (<see cref="HeldScalars"/>). While <see cref="KeepRunningStats"/> is set, a training call
/// normalises by the batch's statistics and leaves the running statistics and the counter unchanged.
/// </summary>
public sealed class BatchNorm2d(long num_features, double eps = 1e-5, double momentum = 0.1)
    : TorchSharp.Modules.BatchNorm(num_features, eps, momentum, affine: true, track_running_stats: true, device: null, dtype: null, name: nameof(BatchNorm2d))
{
    protected override void ValidateInputDimensions(Tensor input)
    {
        if (input.ndim != 4) throw new ArgumentException($"BatchNorm2d expects 4-D input (N, C, H, W), got {input.ndim}-D.");
    }

    /// <summary>Training calls leave the running statistics as they are (they still normalise by the batch's).</summary>
    public bool KeepRunningStats { get; set; }

    public override Tensor forward(Tensor input)
    {
        ValidateInputDimensions(input);
        if (training && KeepRunningStats)
            return nn.functional.batch_norm(input, null, null, weight, bias, training: true, momentum: momentum ?? 0.0, eps: eps);
        double factor = momentum ?? 0.0;
        if (training && track_running_stats && num_batches_tracked is not null)
        {
            num_batches_tracked.add_(HeldScalars.One, HeldScalars.One);
            if (factor == 0) factor = 1.0 / num_batches_tracked.item<long>();   // a cumulative moving average
        }
        bool useRunning = !training || track_running_stats;
        return nn.functional.batch_norm(input, useRunning ? running_mean : null, useRunning ? running_var : null, weight, bias,
            training: training || running_mean is null || running_var is null, momentum: factor, eps: eps);
    }
}
