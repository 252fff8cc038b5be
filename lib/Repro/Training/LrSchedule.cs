using System.Text.Json.Serialization;

namespace Repro.Training;

/// <summary>
/// The learning rate of each epoch (0-based), as data. StepLR(step, gamma) stepped at the end of each epoch gives
/// lr0 * gamma^floor(epoch/step); MultiStepLR gives lr0 * gamma^(number of milestones <= epoch);
/// an explicit list (parity fixtures' lr_per_epoch) gives its entries.
/// </summary>
public sealed record LrSchedule
{
    public double BaseLr { get; init; } = 1e-3;
    public int StepSize { get; init; }
    public int[] Milestones { get; init; } = [];
    public double Gamma { get; init; } = 0.1;
    public double[]? PerEpoch { get; init; }
    /// <summary>Polynomial decay lr0 * (1 - epoch/TotalEpochs)^Power when positive (with an optional linear warm-up).</summary>
    public double Power { get; init; }
    public int TotalEpochs { get; init; }
    public int WarmupEpochs { get; init; }
    /// <summary>The warm-up starts at this fraction of the decayed rate and reaches it linearly after WarmupEpochs.</summary>
    public double WarmupRatio { get; init; } = 0.1;

    public static LrSchedule Step(double lr, int stepSize, double gamma) => new() { BaseLr = lr, StepSize = stepSize, Gamma = gamma };
    public static LrSchedule MultiStep(double lr, int[] milestones, double gamma) => new() { BaseLr = lr, Milestones = milestones, Gamma = gamma };
    public static LrSchedule Constant(double lr) => new() { BaseLr = lr };
    /// <summary>mmcv's "poly" policy per epoch with a linear warm-up from ratio x lr (U2A Table 5: power 0.9, 5 epochs at 0.1 x lr).</summary>
    public static LrSchedule Polynomial(double lr, int epochs, double power, int warmupEpochs, double warmupRatio) =>
        new() { BaseLr = lr, Power = power, TotalEpochs = epochs, WarmupEpochs = warmupEpochs, WarmupRatio = warmupRatio };
    public static LrSchedule Explicit(double[] perEpoch) => new() { BaseLr = perEpoch[0], PerEpoch = perEpoch };

    public double At(int epoch)
    {
        if (PerEpoch is not null)
        {
            if (epoch >= PerEpoch.Length) throw new ArgumentOutOfRangeException(nameof(epoch), $"The schedule lists {PerEpoch.Length} epochs; epoch {epoch} has no learning rate.");
            return PerEpoch[epoch];
        }
        if (Power > 0)
        {
            double regular = BaseLr * Math.Pow(Math.Max(0, 1 - (double)epoch / TotalEpochs), Power);
            if (epoch >= WarmupEpochs) return regular;
            return regular * (WarmupRatio + (1 - WarmupRatio) * epoch / WarmupEpochs);
        }
        int decays = StepSize > 0 ? epoch / StepSize : Milestones.Count(m => m <= epoch);
        return BaseLr * Math.Pow(Gamma, decays);
    }
}
