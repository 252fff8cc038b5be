using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Repro.Models.Fusion;

/// <summary>
/// A fusion head plus one separate classifier per modality: `fused` (any <see cref="FusionHead"/>, e.g. concat) gives
/// the fused logits; `head_{modality}` = Linear(d, C) on that modality's features gives its unimodal logits. The unimodal
/// classifiers share no parameters with the fused one (unlike the concat head's weight slices). MMPareto's AVClassifier
/// (models/models.py: head, head_audio, head_video) and G-Blending's paper network (uni-modal heads beside the
/// multi-modal one) have this shape.
/// </summary>
public sealed class AuxiliaryHeadsFusion : FusionHead
{
    readonly FusionHead fused;
    readonly Dictionary<string, Linear> _heads = new();

    public AuxiliaryHeadsFusion(FusionHead fusedHead)
        : base(nameof(AuxiliaryHeadsFusion), fusedHead.Modalities, fusedHead.FeatureDim, fusedHead.NumClasses)
    {
        fused = fusedHead;
        register_module("fused", fused);
        foreach (var m in Modalities)
        {
            var head = nn.Linear(FeatureDim, NumClasses);
            _heads[m] = head;
            register_module(HeadName(m), head);
        }
    }

    /// <summary>The registered name of a modality's classifier: head_audio, head_visual, ...</summary>
    public static string HeadName(string modality) => "head_" + modality;

    public FusionHead Fused => fused;
    public Linear Head(string modality) => _heads.TryGetValue(modality, out var h) ? h : throw new ArgumentException($"No unimodal head for '{modality}'.");

    public override Tensor Fuse(IReadOnlyDictionary<string, Tensor> features) => fused.Fuse(features);

    public override Tensor Unimodal(string modality, IReadOnlyDictionary<string, Tensor> features) => Head(modality).call(features[modality]);
}
