using Repro.Data;
using Repro.Models;
using Repro.Models.Fusion;
using TorchSharp;
using static TorchSharp.torch;
using Repro.Training;

namespace Repro.Methods.Late;

/// <summary>
/// Late fusion (MLA Table 1): each modality's encoder and classifier form an independent unimodal model trained on its
/// own loss; at test time their logits are averaged. A sample missing a modality does not enter that modality's loss.
/// Logged: loss (the sum of the unimodal losses), loss_a, loss_v, ...
/// </summary>
[Method("late", "Late fusion: independent unimodal models, logits averaged")]
[MethodAlias("late-fusion", "late")]
public sealed class Late : Method
{
    public Late(MultimodalModel model, LateOptions options) : base(model, options) { }

    public static Late Create(LateOptions o, ModelParts parts)
    {
        var encoders = parts.Encoders();
        var d = ((Models.Encoders.IEncoder)encoders[0].Encoder).FeatureDim;
        return new Late(new MultimodalModel(encoders, new LateFusion(parts.Modalities, d, parts.NumClasses)), o);
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
}
