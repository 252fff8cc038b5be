namespace Repro.Training;

/// <summary>Receives progress from the trainer (the CLI draws progress bars; tests and notebooks may ignore it).</summary>
public interface ITrainingObserver
{
    void EpochStarted(int epoch, int epochs, int batches) { }
    void BatchDone(int epoch, int batch, int batches, IReadOnlyDictionary<string, double> losses) { }
    void EpochDone(EpochRecord record) { }
    void Message(string text) { }
}

public sealed class SilentObserver : ITrainingObserver
{
    public static readonly SilentObserver Instance = new();
}
