using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Repro.Models.Fusion;

namespace Repro.Methods.Mla;

/// <summary>
/// MLA's shared head g (MLA §3.1 eq. 2; official models/basic_model.py 31-32; BalanceBenchmark fusion_arch.py SharedHead):
/// one fc_out = Linear(d, C) applied to every modality's features, so Unimodal(m) = fc_out(f_m) with the FULL bias.
/// Every modality must give features of the same size d. <see cref="Fuse"/> averages the unimodal logits; MLA's own
/// test-time fusion rules (entropy weights, fixed weights) live in TestTimeFusion and are applied by the method.
/// </summary>
public sealed class SharedHead : FusionHead
{
    readonly Linear fc_out;

    public SharedHead(IReadOnlyList<string> modalities, int featureDim, int numClasses)
        : base(nameof(SharedHead), modalities, featureDim, numClasses)
    {
        fc_out = nn.Linear(featureDim, numClasses);
        RegisterComponents();
    }

    public Linear Linear => fc_out;

    public override Tensor Fuse(IReadOnlyDictionary<string, Tensor> features)
    {
        using var scope = NewDisposeScope();
        var logits = Modalities.Select(m => Unimodal(m, features)).ToArray();
        return stack(logits).mean([0]).MoveToOuterDisposeScope();
    }

    public override Tensor Unimodal(string modality, IReadOnlyDictionary<string, Tensor> features)
    {
        IndexOf(modality);
        return fc_out.call(features.TryGetValue(modality, out var f) ? f : throw new ArgumentException($"Missing features for modality '{modality}'."));
    }
}
