using Repro.Data;
using Repro.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Repro.Training;

/// <summary>
/// What the trainer, the evaluator and checkpoints drive: a model, one training step, a prediction, the stages and
/// epoch hooks, and the state kept across batches. Every method implements it through Methods/Method.cs, whose
/// documentation says what each member is for; the dependency goes one way, methods to training.
/// </summary>
public interface ITrainable
{
    MultimodalModel Model { get; }
    IReadOnlyList<string> Modalities { get; }
    /// <summary>The method's registry name and options, e.g. "joint(fusion=concat)".</summary>
    string Describe();
    StepResult TrainStep(Batch batch, StepContext ctx);
    Prediction Predict(Batch batch);
    IEnumerable<Parameter> TrainableParameters();
    IReadOnlyList<TrainingStage> Stages(int epochs);
    void EnterStage(TrainingStage stage, EpochContext ctx);
    StepResult FitStage(TrainingStage stage, EpochContext ctx);
    void OnEpochStart(EpochContext ctx);
    void OnEpochEnd(EpochContext ctx);
    Dictionary<string, Tensor> StateTensors();
    void LoadStateTensors(IReadOnlyDictionary<string, Tensor> state);
}
