using Repro.Data;
using Repro.Models;
using TorchSharp;
using static TorchSharp.torch;
using Repro.Training;

namespace Repro.Methods.Joint;

/// <summary>
/// Joint training, the baseline the balancing papers start from (OGM-GE main.py train_epoch without modulation):
/// one fused loss on the head's output, one backward, one step. Options: fusion = concat | sum | film | gated | mmtm
/// (MMTM between the ResNet-18 streams, DGL Table 2's baseline; <see cref="Models.Fusion.MmtmFusion"/>);
/// conditioned_by (FiLM) and gate_from (gated) name the steering modality (default: the first).
/// Logged: loss, and each modality's unimodal loss (loss_a, loss_v, ...) from the head's unimodal logits, not trained on.
/// </summary>
[Method("joint", "Joint training of encoders and a fusion head (fusion=concat|sum|film|gated|mmtm)")]
[MethodAlias("concat", "joint", "fusion=concat")]
[MethodAlias("sum", "joint", "fusion=sum")]
[MethodAlias("film", "joint", "fusion=film")]
[MethodAlias("gated", "joint", "fusion=gated")]
[MethodAlias("bigated", "joint", "fusion=gated")]
public sealed class Joint : Method
{
    public Joint(MultimodalModel model, JointOptions options) : base(model, options) { }

    public static Joint Create(JointOptions o, ModelParts parts)
    {
        return new Joint(parts.FusionModel(o), o);
    }

    public override StepResult TrainStep(Batch batch, StepContext ctx) => JointStep(batch, ctx);
}
