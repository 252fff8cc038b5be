namespace Repro.Experiments.Costs;

/// <summary>
/// What one method costs on a dataset and profile: wall seconds per training epoch (training steps plus the per-epoch
/// evaluation a run does; the mean over epochs after the first) and that relative to joint Concat, the peak resident
/// memory of the process while it trained and its rise over the memory resident before it started, and the number of
/// parameters the method trains.
/// </summary>
public sealed record MethodCost(string Label, string Method, IReadOnlyList<string> Tables, double SecondsPerEpoch, double RelativeToConcat,
    long? PeakBytes, long? RiseBytes, long TrainableParameters);
