using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Repro.Models.Fusion;

/// <summary>
/// Concatenation (OGM-GE models/fusion_modules.py ConcatFusion): fc_out = Linear(M*d, C) on cat(f_1..f_M).
/// Unimodal logits use the modality's block of the weight and 1/M of the bias (OGM-GE main.py: b/2 for two modalities),
/// the "sub-head" evaluation MLA Table 1 follows for Concat.
/// </summary>
public sealed class ConcatFusion : FusionHead
{
    readonly Linear fc_out;

    public ConcatFusion(IReadOnlyList<string> modalities, int featureDim, int numClasses)
        : base(nameof(ConcatFusion), modalities, featureDim, numClasses)
    {
        fc_out = nn.Linear(modalities.Count * featureDim, numClasses);
        RegisterComponents();
    }

    public Linear Linear => fc_out;

    public override Tensor Fuse(IReadOnlyDictionary<string, Tensor> features) => fc_out.call(cat(Ordered(features), 1));

    public override Tensor Unimodal(string modality, IReadOnlyDictionary<string, Tensor> features)
    {
        using var scope = NewDisposeScope();
        int i = IndexOf(modality);
        var w = fc_out.weight!.narrow(1, (long)i * FeatureDim, FeatureDim);
        using var count = Modalities.Count.ToScalar();
        var logits = features[modality].matmul(w.t()).add(fc_out.bias!.div(count), Native.HeldScalars.One);
        return logits.MoveToOuterDisposeScope();
    }
}
