using System.Reflection;
using Repro.Data;
using Repro.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Repro.Training;

namespace Repro.Methods;

/// <summary>
/// The contract every method implements: one training step on a batch, and a prediction on a batch.
/// The trainer owns the loop (epochs, batches, dispose scopes, evaluation, checkpoints); a method is a step.
/// Methods that keep state across batches override the epoch hooks, which receive the loaders from the trainer,
/// and <see cref="StateTensors"/>/<see cref="LoadStateTensors"/> so checkpoints carry that state.
/// </summary>
public abstract class Method : ITrainable
{
    protected Method(MultimodalModel model, MethodOptions options)
    {
        Model = model;
        Options = options;
        Name = GetType().GetCustomAttribute<MethodAttribute>()?.Name ?? GetType().Name.ToLowerInvariant();
    }

    public MultimodalModel Model { get; }
    /// <summary>The options the method was created with (its own <see cref="MethodOptions"/> record).</summary>
    public MethodOptions Options { get; }
    /// <summary>The registry name it was created under (the registry sets it: CRA is the AE class built as "cra").</summary>
    public string Name { get; internal set; }
    public IReadOnlyList<string> Modalities => Model.Modalities;

    /// <summary>The registry name and options, e.g. "joint(fusion=concat)".</summary>
    public string Describe() => new MethodSpec(Name, Options).Describe();

    /// <summary>Forward, losses, backward and optimizer step(s) for one batch. Returns the losses to log.</summary>
    public abstract StepResult TrainStep(Batch batch, StepContext ctx);

    /// <summary>Fused and unimodal logits, in evaluation mode (the trainer sets eval() and no_grad).</summary>
    public virtual Prediction Predict(Batch batch)
    {
        var features = Model.Encode(batch);
        return new Prediction(Model.Head.Fuse(features),
            Modalities.ToDictionary(m => m, m => Model.Head.Unimodal(m, features)));
    }

    /// <summary>The parameters the optimizer updates.</summary>
    public virtual IEnumerable<Parameter> TrainableParameters() => Model.parameters().Where(p => p.requires_grad);

    /// <summary>
    /// The stages the trainer runs in order for a run of <paramref name="epochs"/> configured epochs. Default: one
    /// gradient stage of all of them. Two-stage methods (MMIN's teacher then student) and solvers (CCA's SVM) override.
    /// </summary>
    public virtual IReadOnlyList<TrainingStage> Stages(int epochs) => [TrainingStage.Gradient("train", epochs)];

    /// <summary>
    /// Called when <paramref name="stage"/> begins, before its optimizer is built from <see cref="TrainableParameters"/>
    /// (freeze a teacher, switch heads). On resume it is called for the stage being resumed and the checkpoint is loaded
    /// afterwards, so state that must survive belongs in the model's state dict or <see cref="StateTensors"/>.
    /// </summary>
    public virtual void EnterStage(TrainingStage stage, EpochContext ctx) { }

    /// <summary>The work of a fit stage (<see cref="TrainingStage.Fit"/>); returns the numbers to log.</summary>
    public virtual StepResult FitStage(TrainingStage stage, EpochContext ctx) =>
        throw new NotSupportedException($"Method {Describe()} declares fit stage '{stage.Name}' but does not implement FitStage.");

    public virtual void OnEpochStart(EpochContext ctx) { }
    public virtual void OnEpochEnd(EpochContext ctx) { }

    /// <summary>State kept across batches (projectors, histories), saved with checkpoints.</summary>
    public virtual Dictionary<string, Tensor> StateTensors() => new();
    public virtual void LoadStateTensors(IReadOnlyDictionary<string, Tensor> state) { }

    /// <summary>
    /// One step of plain joint training: the fused loss through the whole model, with each modality's unimodal loss
    /// logged (on detached features, so it trains nothing).
    /// </summary>
    protected StepResult JointStep(Batch batch, StepContext ctx)
    {
        ctx.ZeroGrad();
        var features = Model.Encode(batch);
        var loss = TaskLoss(Model.Head.Fuse(features), batch);
        var result = new StepResult().Add("loss", loss);
        using (no_grad())
        {
            var detached = features.ToDictionary(kv => kv.Key, kv => kv.Value.detach());
            foreach (var m in Modalities)
                result.Add("loss_" + Data.Modalities.Tag(m), TaskLoss(Model.Head.Unimodal(m, detached), batch));
        }
        loss.backward();
        ctx.Step();
        return result;
    }

    /// <summary>Cross-entropy on single-label data, BCE-with-logits on multi-label data (batch means).</summary>
    protected static Tensor TaskLoss(Tensor logits, Batch batch) => batch.Targets is null
        ? nn.functional.cross_entropy(logits, batch.Labels)
        : nn.functional.binary_cross_entropy_with_logits(logits, batch.Targets);

    /// <summary>The task loss over the rows where <paramref name="rows"/> is true; null when there are none.</summary>
    protected static Tensor? MaskedTaskLoss(Tensor logits, Batch batch, Tensor rows)
    {
        if (rows.all().item<bool>()) return TaskLoss(logits, batch);
        var idx = rows.nonzero().flatten();
        if (idx.shape[0] == 0) return null;
        return batch.Targets is null
            ? nn.functional.cross_entropy(logits.index_select(0, idx), batch.Labels.index_select(0, idx))
            : nn.functional.binary_cross_entropy_with_logits(logits.index_select(0, idx), batch.Targets.index_select(0, idx));
    }
}
