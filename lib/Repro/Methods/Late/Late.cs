using Repro.Data;
using Repro.Models;
using Repro.Models.Fusion;
using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Methods;

/// <summary>
/// Late fusion (MLA Table 1): each modality's encoder and classifier form an independent unimodal model trained on its
/// own loss; at test time their logits are averaged. A sample missing a modality does not enter that modality's loss.
/// Logged: loss (the sum of the unimodal losses), loss_a, loss_v, ...
/// </summary>
[Method("late", "Late fusion: independent unimodal models, logits averaged")]
[MethodAlias("late-fusion", "late")]
public sealed class LateFusionMethod : Method
{
    public LateFusionMethod(MultimodalModel model, MethodOptions options) : base(model, options) { }

    public static LateFusionMethod Create(MethodOptions o, ModelParts parts)
    {
        var encoders = parts.Encoders();
        var d = ((Models.Encoders.IEncoder)encoders[0].Encoder).FeatureDim;
        return new LateFusionMethod(new MultimodalModel(encoders, new LateFusion(parts.Modalities, d, parts.NumClasses)), o);
    }

    public override StepResult TrainStep(Batch batch, StepContext ctx)
    {
        ctx.ZeroGrad();
        var features = Model.Encode(batch);
        var result = new StepResult();
        Tensor? total = null;
        foreach (var m in Modalities)
        {
            var loss = MaskedTaskLoss(Model.Head.Unimodal(m, features), batch, batch.Available[m]);
            if (loss is null) continue;
            result.Add("loss_" + Data.Modalities.Tag(m), loss);
            total = total is null ? loss : total + loss;
        }
        if (total is null) return result;
        result.Add("loss", total);
        total.backward();
        ctx.Step();
        return result;
    }

    /// <summary>The task loss over the rows where <paramref name="rows"/> is true; null when there are none.</summary>
    internal static Tensor? MaskedTaskLoss(Tensor logits, Batch batch, Tensor rows)
    {
        if (rows.all().item<bool>()) return TaskLoss(logits, batch);
        var idx = rows.nonzero().flatten();
        if (idx.shape[0] == 0) return null;
        return batch.Targets is null
            ? nn.functional.cross_entropy(logits.index_select(0, idx), batch.Labels.index_select(0, idx))
            : nn.functional.binary_cross_entropy_with_logits(logits.index_select(0, idx), batch.Targets.index_select(0, idx));
    }
}
