using static TorchSharp.torch;
using Repro.Models.Fusion;

namespace Repro.Methods.Dgl;

/// <summary>
/// DGL's sum head (SumFusion_DGL, the layers of OGM-GE's SumFusion): fc_x, fc_y, ... = Linear(d, C) per modality;
/// fused = Σ_m fc_m(z_m). The unimodal logits of modality m take one of two forms:
/// <list type="bullet">
/// <item>paper (DGL eq. 12, 14: the fusion module with every other modality's features set to 0):
/// fc_m(z_m) + Σ_{j≠m} fc_j(0) = fc_m(z_m) + Σ_{j≠m} b_j, i.e. for audio fc_x(x) + b_y;</item>
/// <item><see cref="OfficialUnimodal"/> (the official module): fc_m(z_m), the modality's own layer alone.</item>
/// </list>
/// The two differ by the other layers' biases, which shift the unimodal logits and so the softmax whose error trains the
/// encoder.
/// </summary>
public sealed class SumFusionDgl(IReadOnlyList<string> modalities, int featureDim, int numClasses)
    : PerModalityHead(nameof(SumFusionDgl), modalities, featureDim, numClasses)
{
    /// <summary>Unimodal logits fc_m(z_m) without the other layers' biases (the official module).</summary>
    public bool OfficialUnimodal { get; set; }

    public override Tensor Fuse(IReadOnlyDictionary<string, Tensor> features)
    {
        using var scope = NewDisposeScope();
        var sum = base.Unimodal(Modalities[0], features);
        for (int i = 1; i < Modalities.Count; i++) sum = sum + base.Unimodal(Modalities[i], features);
        return sum.MoveToOuterDisposeScope();
    }

    public override Tensor Unimodal(string modality, IReadOnlyDictionary<string, Tensor> features)
    {
        IndexOf(modality);
        return OfficialUnimodal ? base.Unimodal(modality, features) : Fuse(OnlyKeep(modality, features));
    }
}
