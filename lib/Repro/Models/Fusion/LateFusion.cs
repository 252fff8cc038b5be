using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Repro.Models.Fusion;

/// <summary>
/// Late fusion: an independent classifier per modality (fc_x, fc_y, ... = Linear(d, C)), so each encoder-classifier
/// pair is a unimodal model; the fused prediction averages their logits. Unimodal logits are each classifier's own.
/// </summary>
public sealed class LateFusion : FusionHead
{
    readonly Linear[] _fcs;

    public LateFusion(IReadOnlyList<string> modalities, int featureDim, int numClasses)
        : base(nameof(LateFusion), modalities, featureDim, numClasses)
    {
        _fcs = new Linear[modalities.Count];
        for (int i = 0; i < modalities.Count; i++)
        {
            _fcs[i] = nn.Linear(featureDim, numClasses);
            register_module(PositionalName(i), _fcs[i]);
        }
    }

    public override Tensor Fuse(IReadOnlyDictionary<string, Tensor> features)
    {
        using var scope = NewDisposeScope();
        var logits = Modalities.Select(m => Unimodal(m, features)).ToArray();
        return stack(logits).mean([0]).MoveToOuterDisposeScope();
    }

    public override Tensor Unimodal(string modality, IReadOnlyDictionary<string, Tensor> features) =>
        _fcs[IndexOf(modality)].call(features[modality]);
}
