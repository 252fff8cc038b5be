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

    public static LrSchedule Step(double lr, int stepSize, double gamma) => new() { BaseLr = lr, StepSize = stepSize, Gamma = gamma };
    public static LrSchedule MultiStep(double lr, int[] milestones, double gamma) => new() { BaseLr = lr, Milestones = milestones, Gamma = gamma };
    public static LrSchedule Constant(double lr) => new() { BaseLr = lr };
    public static LrSchedule Explicit(double[] perEpoch) => new() { BaseLr = perEpoch[0], PerEpoch = perEpoch };

    public double At(int epoch)
    {
        if (PerEpoch is not null)
        {
            if (epoch >= PerEpoch.Length) throw new ArgumentOutOfRangeException(nameof(epoch), $"The schedule lists {PerEpoch.Length} epochs; epoch {epoch} has no learning rate.");
            return PerEpoch[epoch];
        }
        int decays = StepSize > 0 ? epoch / StepSize : Milestones.Count(m => m <= epoch);
        return BaseLr * Math.Pow(Gamma, decays);
    }
}
