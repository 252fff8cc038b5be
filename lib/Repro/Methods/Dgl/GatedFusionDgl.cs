using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Repro.Models.Fusion;

namespace Repro.Methods.Dgl;

/// <summary>
/// DGL's GatedFusion_DGL (two modalities, x = the first, y = the second): fc_x, fc_y = Linear(d, d), fc_out = Linear(d, C);
/// ox = fc_x(x), oy = fc_y(y); fused = fc_out(sigmoid(ox) * oy). The unimodal logits take one of two forms:
/// <list type="bullet">
/// <item>paper (DGL eq. 12, 14: the fusion module with the other modality's features set to 0; fc_x(0) = b_x):
/// unimodal x = fc_out(sigmoid(ox) * b_y), unimodal y = fc_out(sigmoid(b_x) * oy);</item>
/// <item><see cref="OfficialUnimodal"/> (the official module): each branch gated by itself, unimodal
/// x = fc_out(sigmoid(ox) * ox), unimodal y = fc_out(sigmoid(oy) * oy).</item>
/// </list>
/// <para>Truncated fused path: by default the encoder features are detached before fc_x/fc_y (DGL eq. 9), so fc_x and
/// fc_y learn from the multimodal loss. <see cref="OfficialDetach"/> detaches after them, as the official module
/// does (fused = fc_out(sigmoid(ox.detach()) * oy.detach())): since DGL then removes the unimodal gradients from the
/// head, fc_x and fc_y never receive a gradient and keep their initial values (a bug of the official code).</para>
/// </summary>
public sealed class GatedFusionDgl : FusionHead
{
    readonly Linear fc_x;
    readonly Linear fc_y;
    readonly Linear fc_out;

    public GatedFusionDgl(IReadOnlyList<string> modalities, int featureDim, int numClasses)
        : base(nameof(GatedFusionDgl), modalities, featureDim, numClasses)
    {
        if (modalities.Count != 2) throw new ArgumentException($"DGL's gated fusion fuses exactly two modalities, got {modalities.Count}.");
        fc_x = nn.Linear(featureDim, featureDim);
        fc_y = nn.Linear(featureDim, featureDim);
        fc_out = nn.Linear(featureDim, numClasses);
        RegisterComponents();
    }

    /// <summary>Unimodal logits gated by the modality itself, fc_out(sigmoid(o_m) * o_m) (the official module).</summary>
    public bool OfficialUnimodal { get; set; }

    /// <summary>Detach after fc_x/fc_y in the truncated fused path (the official module; fc_x and fc_y then never learn).</summary>
    public bool OfficialDetach { get; set; }

    public override Tensor Fuse(IReadOnlyDictionary<string, Tensor> features)
    {
        using var scope = NewDisposeScope();
        var ox = fc_x.call(features[Modalities[0]]);
        var oy = fc_y.call(features[Modalities[1]]);
        return fc_out.call(sigmoid(ox) * oy).MoveToOuterDisposeScope();
    }

    public override Tensor FuseTruncated(IReadOnlyDictionary<string, Tensor> features)
    {
        if (!OfficialDetach) return base.FuseTruncated(features);
        using var scope = NewDisposeScope();
        var ox = fc_x.call(features[Modalities[0]]).detach();
        var oy = fc_y.call(features[Modalities[1]]).detach();
        return fc_out.call(sigmoid(ox) * oy).MoveToOuterDisposeScope();
    }

    public override Tensor Unimodal(string modality, IReadOnlyDictionary<string, Tensor> features)
    {
        if (!OfficialUnimodal) { IndexOf(modality); return Fuse(OnlyKeep(modality, features)); }
        using var scope = NewDisposeScope();
        var o = (IndexOf(modality) == 0 ? fc_x : fc_y).call(features[modality]);
        return fc_out.call(sigmoid(o) * o).MoveToOuterDisposeScope();
    }
}
