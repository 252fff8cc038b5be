using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Repro.Models.Fusion;

/// <summary>
/// FiLM (Perez et al. 2018) as OGM-GE's FiLM module: fc = Linear(d, 2d) on the conditioning modality c gives
/// gamma (first d columns) and beta (last d); out = fc_out(gamma * t + beta) for the other modality t.
/// Unimodal logits: the other modality's features zeroed (MLA Table 1 "deactivate one modality").
/// This is the OGM-GE head used by the joint baselines; DGL's bilinear FiLM is a different module.
/// </summary>
public sealed class FilmFusion : FusionHead
{
    readonly Linear fc;
    readonly Linear fc_out;
    readonly string _conditioning;

    public FilmFusion(IReadOnlyList<string> modalities, int featureDim, int numClasses, string? conditionedBy = null)
        : base(nameof(FilmFusion), modalities, featureDim, numClasses)
    {
        if (modalities.Count != 2) throw new ArgumentException($"FiLM fuses exactly two modalities, got {modalities.Count}.");
        _conditioning = conditionedBy ?? modalities[0];
        IndexOf(_conditioning);
        fc = nn.Linear(featureDim, 2 * featureDim);
        fc_out = nn.Linear(featureDim, numClasses);
        RegisterComponents();
    }

    public override Tensor Fuse(IReadOnlyDictionary<string, Tensor> features)
    {
        using var scope = NewDisposeScope();
        var c = features[_conditioning];
        var t = features[Modalities.First(m => m != _conditioning)];
        var gb = fc.call(c);
        var gamma = gb.narrow(1, 0, FeatureDim);
        var beta = gb.narrow(1, FeatureDim, FeatureDim);
        return fc_out.call(gamma * t + beta).MoveToOuterDisposeScope();
    }

    public override Tensor Unimodal(string modality, IReadOnlyDictionary<string, Tensor> features) => Fuse(OnlyKeep(modality, features));
}
