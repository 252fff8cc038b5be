using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Repro.Models.Fusion;

/// <summary>
/// Gated fusion ("BiGated" in MLA's tables; OGM-GE GatedFusion): ox = fc_x(x), oy = fc_y(y), both Linear(d, d);
/// gating from x: out = fc_out(sigmoid(ox) * oy); gating from y: out = fc_out(ox * sigmoid(oy)).
/// Unimodal logits: the other modality's features zeroed (MLA Table 1).
/// </summary>
public sealed class GatedFusion : FusionHead
{
    readonly Linear fc_x;
    readonly Linear fc_y;
    readonly Linear fc_out;
    readonly bool _gateFromX;

    public GatedFusion(IReadOnlyList<string> modalities, int featureDim, int numClasses, string? gateFrom = null)
        : base(nameof(GatedFusion), modalities, featureDim, numClasses)
    {
        if (modalities.Count != 2) throw new ArgumentException($"Gated fusion fuses exactly two modalities, got {modalities.Count}.");
        _gateFromX = IndexOf(gateFrom ?? modalities[0]) == 0;
        fc_x = nn.Linear(featureDim, featureDim);
        fc_y = nn.Linear(featureDim, featureDim);
        fc_out = nn.Linear(featureDim, numClasses);
        RegisterComponents();
    }

    public override Tensor Fuse(IReadOnlyDictionary<string, Tensor> features)
    {
        using var scope = NewDisposeScope();
        var ox = fc_x.call(features[Modalities[0]]);
        var oy = fc_y.call(features[Modalities[1]]);
        var gated = _gateFromX ? sigmoid(ox) * oy : ox * sigmoid(oy);
        return fc_out.call(gated).MoveToOuterDisposeScope();
    }

    public override Tensor Unimodal(string modality, IReadOnlyDictionary<string, Tensor> features) => Fuse(OnlyKeep(modality, features));
}
