using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Repro.Models.Fusion;

namespace Repro.Methods.Qmf;

/// <summary>
/// QMF's late fusion (QingyangZhang/QMF@fe6c4c6 src/models/late_fusion.py; MLA main.py 239-268): a Linear(d, C) per
/// modality (fc_x, fc_y, ...), each modality's energy-based confidence conf_m = logsumexp(logits_m)/10 (B, 1), and the
/// fused logits sum_m conf_m.detach() * logits_m. With <see cref="Dynamic"/> off the weights are 1 (plain late fusion).
/// </summary>
public sealed class QmfFusion : FusionHead
{
    readonly Linear[] _fcs;

    public QmfFusion(IReadOnlyList<string> modalities, int featureDim, int numClasses, bool dynamic = true)
        : base(nameof(QmfFusion), modalities, featureDim, numClasses)
    {
        Dynamic = dynamic;
        _fcs = new Linear[modalities.Count];
        for (int i = 0; i < modalities.Count; i++)
        {
            _fcs[i] = nn.Linear(featureDim, numClasses);
            register_module(PositionalName(i), _fcs[i]);
        }
    }

    public bool Dynamic { get; }

    /// <summary>QMF's energy confidence: log(sum_k exp(logit_k)) / 10, shape (B, 1).</summary>
    public static Tensor Confidence(Tensor logits) => logits.logsumexp(1, keepdim: true) / 10;

    /// <summary>The confidence-weighted sum of unimodal logits given those logits (confidences detached).</summary>
    public Tensor FuseLogits(IReadOnlyDictionary<string, Tensor> logits)
    {
        using var scope = NewDisposeScope();
        Tensor? fused = null;
        foreach (var m in Modalities)
        {
            var term = Dynamic ? logits[m] * Confidence(logits[m]).detach() : logits[m];
            fused = fused is null ? term : fused + term;
        }
        return fused!.MoveToOuterDisposeScope();
    }

    public override Tensor Fuse(IReadOnlyDictionary<string, Tensor> features)
    {
        using var scope = NewDisposeScope();
        var logits = Modalities.ToDictionary(m => m, m => Unimodal(m, features));
        return FuseLogits(logits).MoveToOuterDisposeScope();
    }

    public override Tensor Unimodal(string modality, IReadOnlyDictionary<string, Tensor> features) =>
        _fcs[IndexOf(modality)].call(features[modality]);
}
