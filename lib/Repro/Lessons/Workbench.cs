using Repro.Data;
using Repro.Experiments;
using Repro.Methods;
using Repro.Training;
using static TorchSharp.torch;

namespace Repro.Lessons;

/// <summary>
/// What a lesson needs to write a method's step by hand beside the library's: the first training batch of a run and the
/// method with the weights that run starts from. Each <see cref="Fresh"/> call builds the same weights again, so a
/// lesson's computation and the library's start from one state.
/// </summary>
public sealed class Workbench
{
    Workbench(ExperimentRunner runner, string dataset, Profile profile, ulong seed, Batch batch, int batchesPerEpoch)
    {
        Runner = runner; Dataset = dataset; Profile = profile; Seed = seed; Batch = batch; BatchesPerEpoch = batchesPerEpoch;
    }

    public ExperimentRunner Runner { get; }
    public string Dataset { get; }
    public Profile Profile { get; }
    public ulong Seed { get; }
    /// <summary>The run's first training batch, as the trainer draws it (same split, order and augmentation).</summary>
    public Batch Batch { get; }
    public int BatchesPerEpoch { get; }

    public static Workbench Open(ExperimentRunner runner, string dataset, Profile profile, ulong seed = 0)
    {
        var data = runner.Dataset(dataset, null, profile);
        var (train, _) = Subset.CarveValidation(data.Train, profile.ValidationFraction, Rng.Derive(seed, 11));
        var config = profile.Train;
        var loader = new DataLoader(train, config.BatchSize, config.ShuffleTrain, SampleMode.Train, Rng.Derive(seed, 13), config.DropLastTrain);
        return new Workbench(runner, dataset, profile, seed, loader.Load(loader.Plan(0)[0], 0), loader.BatchCount);
    }

    /// <summary>The run of <paramref name="method"/> with <paramref name="options"/> on this dataset, profile and seed.</summary>
    public RunSpec Spec(string method, params (string Key, string Value)[] options) =>
        ExperimentRunner.TrainSpec(Dataset, Profile, method, Seed, options: options);

    /// <summary>The method as its run starts: same seed, same initial weights.</summary>
    public Method Fresh(string method, params (string Key, string Value)[] options) => Runner.Fresh(Spec(method, options));

    /// <summary>
    /// A step context at the run's global step <paramref name="step"/> with plain SGD at the profile's first learning rate
    /// (the kit's SGD, as the trainer's: TorchSharp's own step can read a scalar the garbage collector already freed).
    /// </summary>
    public StepContext Context(Method method, long step = 0, double? lr = null) => new()
    {
        Optimizer = new Training.Optim.SGD(method.TrainableParameters(), lr ?? Profile.Train.Lr.BaseLr),
        Model = method.Model,
        Epoch = (int)(step / BatchesPerEpoch),
        BatchIndex = (int)(step % BatchesPerEpoch),
        BatchesPerEpoch = BatchesPerEpoch,
        GlobalStep = step,
    };
}
