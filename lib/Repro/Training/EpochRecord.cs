namespace Repro.Training;

/// <summary>What one epoch produced: its learning rate, mean training losses, and validation/test metrics.</summary>
public sealed record EpochRecord
{
    public required int Epoch { get; init; }
    public required double Lr { get; init; }
    public required Dictionary<string, double> TrainLosses { get; init; }
    public Dictionary<string, double>? Validation { get; init; }
    public Dictionary<string, double>? Test { get; init; }
    /// <summary>Probe summaries (e.g. gradient norms), keyed "probe/quantity"; null when no probe ran.</summary>
    public Dictionary<string, double>? Probes { get; init; }
    public double Seconds { get; init; }
    /// <summary>Of <see cref="Seconds"/>, the time training and evaluation waited for batches (the data thread prepares them meanwhile).</summary>
    public double DataWaitSeconds { get; init; }
    /// <summary>The method's training stage (null for single-stage methods).</summary>
    public string? Stage { get; init; }
    /// <summary>Whether this epoch competes for the selected epoch (false in a teacher or pretraining stage).</summary>
    public bool Selectable { get; init; } = true;
}

/// <summary>A finished run: every epoch, the selected epoch and the rule that selected it.</summary>
public sealed record TrainResult
{
    public required List<EpochRecord> History { get; init; }
    public required int SelectedEpoch { get; init; }
    public required Selection Selection { get; init; }
    public EpochRecord Selected => History.First(h => h.Epoch == SelectedEpoch);
}
