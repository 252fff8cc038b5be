using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Repro.Models.Fusion;

namespace Repro.Methods.Dgl;

/// <summary>
/// DGL's ConcatFusion_DGL (models/fusion_modules.py 45-59): fc_out = Linear(M*d, C) on cat(f_1..f_M); the unimodal
/// logits of modality m are fc_out on the concatenation with every other modality's features zeroed, with the FULL
/// bias (DGL eq. 11-14, "modality dropout"). fc_auxi = Linear(M*d, C) exists in the official module and is never
/// used; it is kept so official checkpoints load by name (it never receives a gradient, so it never moves).
/// </summary>
public sealed class ConcatFusionDgl : FusionHead
{
    readonly Linear fc_out;
    readonly Linear fc_auxi;

    public ConcatFusionDgl(IReadOnlyList<string> modalities, int featureDim, int numClasses)
        : base(nameof(ConcatFusionDgl), modalities, featureDim, numClasses)
    {
        fc_out = nn.Linear(modalities.Count * featureDim, numClasses);
        fc_auxi = nn.Linear(modalities.Count * featureDim, numClasses);
        RegisterComponents();
    }

    public Linear Linear => fc_out;

    public override Tensor Fuse(IReadOnlyDictionary<string, Tensor> features) => fc_out.call(cat(Ordered(features), 1));

    public override Tensor Unimodal(string modality, IReadOnlyDictionary<string, Tensor> features)
    {
        IndexOf(modality);
        return Fuse(OnlyKeep(modality, features));
    }
}
