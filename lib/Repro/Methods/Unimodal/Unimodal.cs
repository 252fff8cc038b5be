using Repro.Data;
using Repro.Models;
using Repro.Models.Fusion;
using TorchSharp;
using static TorchSharp.torch;
using Repro.Training;

namespace Repro.Methods.Unimodal;

/// <summary>
/// A unimodal model: one modality's encoder and a linear classifier, trained alone (the "trained alone" reference of
/// the laziness gap and the unimodal-only rows of DGL's tables). Option: modality (default: the dataset's first).
/// Samples missing the modality are left out of the loss.
/// </summary>
[Method("unimodal", "One modality's encoder and classifier trained alone (modality=...)")]
public class Unimodal : Method
{
    public Unimodal(MultimodalModel model, MethodOptions options) : base(model, options) { }

    public string Modality => Modalities[0];

    public static Unimodal Create(UnimodalOptions o, ModelParts parts)
    {
        var m = o.Modality ?? parts.Modalities[0];
        if (!parts.Modalities.Contains(m))
            throw new ArgumentException($"Method unimodal: modality={m} is not one of the dataset's ({string.Join(", ", parts.Modalities)}).");
        var encoders = parts.Encoders([m]);
        var d = ((Models.Encoders.IEncoder)encoders[0].Encoder).FeatureDim;
        return new Unimodal(new MultimodalModel(encoders, new LateFusion([m], d, parts.NumClasses)), o);
    }

    public override StepResult TrainStep(Batch batch, StepContext ctx)
    {
        ctx.ZeroGrad();
        var features = Model.Encode(batch);
        var loss = MaskedTaskLoss(Model.Head.Unimodal(Modality, features), batch, batch.Available[Modality]);
        var result = new StepResult();
        if (loss is null) return result;
        result.Add("loss", loss).Add("loss_" + Data.Modalities.Tag(Modality), loss);
        loss.backward();
        ctx.Step();
        return result;
    }
}
