using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Repro.Models.Fusion;

/// <summary>
/// MLP-Mixer fusion of DGL Table 2's right half (DGL §4.3 cites CubeMLP, Sun et al., ACM MM 2022;
/// docs/official-code.md#dgl-mixer): the M modalities' features (B, d each) are the rows of a (B, M, d) tensor, two
/// <see cref="MixerBlock"/>s mix them along the modality and the channel axes (CubeMLP's MOSI sizes: channels d → d
/// then d → d/4, modalities M → M; 128 and 32 for d = 128), and <c>fc_out</c> = Linear(M · d/4, C) gives the logits from
/// the rows concatenated (CubeMLP's features_compose_k=cat). CubeMLP's time axis is left out: DGL feeds one frame per
/// video. A modality's logits are the whole fusion network's with the other modalities' features set to 0 (DGL §4.3,
/// eq. 12), which the unimodal losses of G-Blending, MMPareto and DGL use.
/// </summary>
public sealed class MixerFusion : FusionHead
{
    readonly ModuleList<MixerBlock> layers_stack;
    readonly Linear fc_out;

    public MixerFusion(IReadOnlyList<string> modalities, int featureDim, int numClasses, double dropout = 0.1, MixerNorm norm = MixerNorm.First)
        : base(nameof(MixerFusion), modalities, featureDim, numClasses)
    {
        int m = modalities.Count, quarter = Math.Max(1, featureDim / 4);
        layers_stack = nn.ModuleList(
            new MixerBlock((m, m, m), (featureDim, featureDim, featureDim), dropout, norm),
            new MixerBlock((m, m, m), (featureDim, quarter, quarter), dropout, norm));
        fc_out = nn.Linear(m * quarter, numClasses);
        RegisterComponents();
    }

    public IReadOnlyList<MixerBlock> Blocks => layers_stack.ToList();
    public Linear Linear => fc_out;

    public override Tensor Fuse(IReadOnlyDictionary<string, Tensor> features)
    {
        using var scope = NewDisposeScope();
        var x = stack(Ordered(features), 1);                 // (B, M, d)
        foreach (var block in layers_stack) x = block.call(x);
        return fc_out.call(x.flatten(1)).MoveToOuterDisposeScope();
    }

    public override Tensor Unimodal(string modality, IReadOnlyDictionary<string, Tensor> features)
    {
        IndexOf(modality);
        return Fuse(OnlyKeep(modality, features));
    }
}
