using Repro.Training;

namespace Repro.Methods;

/// <summary>
/// A method whose options change the training loop itself, not only its step (e.g. DGL's official quirks: test loader
/// with drop_last, the scheduler stepped before each epoch). The experiment runner applies it to the run's
/// configuration after building the method and before building the loaders and the trainer; parity replays do not
/// (their fixtures give the loop explicitly).
/// </summary>
public interface IAdjustsTraining
{
    TrainConfig AdjustTraining(TrainConfig config);
}
