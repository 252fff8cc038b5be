using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Repro.Models.Fusion;

/// <summary>
/// Summation (OGM-GE SumFusion): one Linear(d, C) per modality (fc_x, fc_y, ...), logits summed.
/// Unimodal logits are the modality's own layer with its full bias (OGM-GE main.py; MLA Table 1's Sum column).
/// </summary>
public sealed class SumFusion : FusionHead
{
    readonly Linear[] _fcs;

    public SumFusion(IReadOnlyList<string> modalities, int featureDim, int numClasses)
        : base(nameof(SumFusion), modalities, featureDim, numClasses)
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
        var f = Ordered(features);
        var sum = _fcs[0].call(f[0]);
        for (int i = 1; i < f.Length; i++) sum = sum + _fcs[i].call(f[i]);
        return sum.MoveToOuterDisposeScope();
    }

    public override Tensor Unimodal(string modality, IReadOnlyDictionary<string, Tensor> features) =>
        _fcs[IndexOf(modality)].call(features[modality]);
}
