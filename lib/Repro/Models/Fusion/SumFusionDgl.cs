using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Repro.Models.Fusion;

/// <summary>
/// DGL's SumFusion_DGL: one Linear(d, C) per modality (fc_x, fc_y, ...), fused = the sum of their logits; the unimodal
/// logits of modality m are its own layer with its full bias (the official a_out = fc_x(a)).
/// </summary>
public sealed class SumFusionDgl : DglFusionHead
{
    readonly Linear[] _fcs;

    public SumFusionDgl(IReadOnlyList<string> modalities, int featureDim, int numClasses)
        : base(nameof(SumFusionDgl), modalities, featureDim, numClasses)
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
