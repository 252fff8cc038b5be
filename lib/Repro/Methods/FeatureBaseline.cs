using Repro.Data;
using Repro.Models;
using Repro.Models.Encoders;
using Repro.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Repro.Methods;

/// <summary>
/// What the missing-modality baselines of MLA Table 2 share (GCNet's utterance-level suite; docs/missing-modality.md#baselines):
/// FeatureMlp encoders (FcClassifier(in, [128, 128], 128)) on the masked features, FcClassifier heads, Adam with a
/// constant learning rate 1e-3 (GCNet: Adam lr 1e-3, beta1 0.5, 20 constant + 80 linearly decaying epochs; the kit's
/// Adam keeps beta1 0.9 and the profile's epoch count). Options: optimizer = adam (default) | profile (the profile's
/// optimizer and schedule, as MLA runs); lr (default 1e-3). Predictions are fused only: these methods have no
/// unimodal branch to score.
/// </summary>
public abstract class FeatureBaseline : Method, IAdjustsTraining
{
    readonly FeatureOptimizer _optimizer;
    readonly double _lr;

    protected FeatureBaseline(MultimodalModel model, FeatureBaselineOptions options) : base(model, options)
    {
        _optimizer = options.Optimizer;
        _lr = options.Lr;
    }

    public TrainConfig AdjustTraining(TrainConfig config) => _optimizer == FeatureOptimizer.Profile ? config
        : config with { Optimizer = "adam", Lr = LrSchedule.Constant(_lr), WeightDecay = 0 };

    public override Prediction Predict(Batch batch) => new(Logits(batch), new Dictionary<string, Tensor>());

    /// <summary>Fused class scores (B, C) in evaluation mode.</summary>
    protected abstract Tensor Logits(Batch batch);

    /// <summary>cat over the modalities in the dataset's order (GCNet concatenates A, L, V; the order is immaterial).</summary>
    protected Tensor Cat(IReadOnlyDictionary<string, Tensor> perModality) => cat(Modalities.Select(m => perModality[m]).ToArray(), 1);

    /// <summary>Each modality's input with the present rows zeroed: only what the mask hid remains.</summary>
    protected static Dictionary<string, Tensor> OnlyMissing(Batch batch, IReadOnlyDictionary<string, Tensor> complete) =>
        complete.ToDictionary(kv => kv.Key, kv => kv.Value * RowMask(batch.Available[kv.Key].logical_not(), kv.Value));

    /// <summary>A (B, 1, ...) float mask broadcasting over <paramref name="like"/>.</summary>
    protected static Tensor RowMask(Tensor rows, Tensor like) =>
        rows.to_type(like.dtype).reshape([rows.shape[0], .. Enumerable.Repeat(1L, (int)like.dim() - 1)]);

    /// <summary>GCNet's classifiers: FcClassifier(in, [h, h], out) = FeatureMlp(in, h, out).</summary>
    protected static FeatureMlp Classifier(long input, int hidden, int output, double dropout = 0.5) => new(input, hidden, output, dropout);

    /// <summary>nn.utils.clip_grad_norm_ over the parameters being trained (GCNet clips each sub-network at 5; one clip over all of them here).</summary>
    protected void Clip(double maxNorm) => nn.utils.clip_grad_norm_(TrainableParameters().ToArray(), maxNorm);
}
