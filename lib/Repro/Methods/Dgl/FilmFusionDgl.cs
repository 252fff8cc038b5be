using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Repro.Models.Fusion;

namespace Repro.Methods.Dgl;

/// <summary>
/// DGL's FiLM_DGL, a bilinear head (not OGM-GE's FiLM): fc = Linear(d*d, d), fc_out = Linear(d, C);
/// outer(p, q) = the d x d matrix p_i q_j flattened row by row; fused = fc_out(fc(outer(x, y))) for x = the first
/// modality, y = the second; unimodal m = fc_out(fc(outer(f_m, f_m))) (the official a_out, v_out).
/// </summary>
public sealed class FilmFusionDgl : FusionHead
{
    readonly Linear fc;
    readonly Linear fc_out;

    public FilmFusionDgl(IReadOnlyList<string> modalities, int featureDim, int numClasses)
        : base(nameof(FilmFusionDgl), modalities, featureDim, numClasses)
    {
        if (modalities.Count != 2) throw new ArgumentException($"DGL's FiLM fusion fuses exactly two modalities, got {modalities.Count}.");
        fc = nn.Linear((long)featureDim * featureDim, featureDim);
        fc_out = nn.Linear(featureDim, numClasses);
        RegisterComponents();
    }

    static Tensor Outer(Tensor p, Tensor q) => (p.unsqueeze(2) * q.unsqueeze(1)).flatten(1);

    public override Tensor Fuse(IReadOnlyDictionary<string, Tensor> features)
    {
        using var scope = NewDisposeScope();
        var f = Ordered(features);
        return fc_out.call(fc.call(Outer(f[0], f[1]))).MoveToOuterDisposeScope();
    }

    public override Tensor Unimodal(string modality, IReadOnlyDictionary<string, Tensor> features)
    {
        IndexOf(modality);
        using var scope = NewDisposeScope();
        var f = features[modality];
        return fc_out.call(fc.call(Outer(f, f))).MoveToOuterDisposeScope();
    }
}
