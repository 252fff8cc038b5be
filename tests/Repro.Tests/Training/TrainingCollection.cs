namespace Repro.Tests.Training;

/// <summary>
/// Tests that compare two training runs number for number. torch's random generator is process-wide and the trainer
/// reseeds it every epoch, so these run alone: a parallel test drawing from it would change their sequences.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TrainingCollection
{
    public const string Name = "Training runs";
}
