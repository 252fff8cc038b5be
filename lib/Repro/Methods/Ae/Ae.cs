using Repro.Data;
using Repro.Models;
using Repro.Models.Encoders;
using Repro.Models.Fusion;
using Repro.Models.Missing;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Repro.Training;

namespace Repro.Methods.Ae;

/// <summary>
/// AE, the autoencoder baseline of MLA Table 2 as GCNet implements it (baseline-mmin models/mmin_AE_model.py:51-66,
/// 114-143; docs/missing-modality.md#baselines): the encoders read the masked features (missing = zeros),
/// h = cat(enc_a, enc_v, enc_t); an autoencoder gives recon = AE(h); netC = FcClassifier(3d -> C) classifies recon, and
/// per modality a FcClassifier(3d -> d_m) (netAA, netVV, netTT) reconstructs the raw features. Loss =
/// CE + mse_weight * sum_m sum_{rows, dims} (x_hat_m - x_m)^2 (1 - mask_m) / d_m: only MISSING modalities are supervised,
/// with their true features (privileged at training time, <see cref="Batch.Complete"/>). Test: the same forward.
/// Options: ae_layers (default 256,128, README example; grid {256,128; 256,200,128}), mse_weight (default 0.01, from
/// the published grid {.002, .003, .01}; the README example uses 0.2). <see cref="Cra"/> swaps the autoencoder for a
/// residual one. Logged: loss, ce, mse.
/// </summary>
[Method("ae", "AE (GCNet suite): autoencoder over the fused embedding, raw-feature reconstruction of the missing modalities")]
public sealed class Ae : FeatureBaseline
{
    readonly double _mseWeight;

    Ae(MultimodalModel model, AeOptions options, double mseWeight) : base(model, options) => _mseWeight = mseWeight;

    public AeHead AeHead => (AeHead)Model.Head;

    public static Ae Create(AeOptions o, ModelParts parts) => Build(o, parts, 0);

    /// <summary>AE, or CRA with <paramref name="blocks"/> residual blocks.</summary>
    internal static Ae Build(AeOptions o, ModelParts parts, int blocks)
    {
        var layers = o.AeLayers.ToArray();
        var mse = o.MseWeight;
        var encoders = parts.Encoders();
        int d = ((IEncoder)encoders[0].Encoder).FeatureDim;
        var dims = parts.Modalities.ToDictionary(m => m, m => parts.FeatureInputSize(m, blocks > 0 ? "cra" : "ae"));
        var head = new AeHead(parts.Modalities, d, parts.NumClasses, dims, layers, blocks);
        return new Ae(new MultimodalModel(encoders, head), o, mse);
    }

    public override StepResult TrainStep(Batch batch, StepContext ctx)
    {
        ctx.ZeroGrad();
        var complete = batch.CompleteInputs(Name);
        var (logits, recon) = AeHead.Forward(Model.Encode(batch));
        var ce = TaskLoss(logits, batch);
        var mse = ReconstructionLoss(recon, complete, batch);
        var loss = ce + mse * _mseWeight;
        loss.backward();
        Clip(5);
        ctx.Step();
        return new StepResult().Add("loss", loss).Add("ce", ce).Add("mse", mse);
    }

    /// <summary>sum_m sum over rows and dims of (x_hat_m - x_m)^2 (1 - mask_m) / d_m (mmin_AE_model.py backward).</summary>
    public static Tensor ReconstructionLoss(IReadOnlyDictionary<string, Tensor> reconstructed, IReadOnlyDictionary<string, Tensor> truth, Batch batch)
    {
        Tensor? total = null;
        foreach (var (m, xHat) in reconstructed)
        {
            var missing = RowMask(batch.Available[m].logical_not(), xHat);
            var term = ((xHat - truth[m]).pow(2) * missing).sum() / xHat.shape[1];
            total = total is null ? term : total + term;
        }
        return total!;
    }

    protected override Tensor Logits(Batch batch) => AeHead.Forward(Model.Encode(batch)).Logits;
}

/// <summary>CRA: AE with GCNet's cascaded residual autoencoder (mmin_CRA_model.py:52-67,117-146); options as AE plus n_blocks (default 2, README example; grid {2,3,5,6}), mse_weight default 0.02 (grid {.01,.02,.03}; README example 0.8).</summary>
[Method("cra", "CRA (GCNet suite): AE with a cascaded residual autoencoder")]
public static class Cra
{
    public static Method Create(CraOptions o, ModelParts parts) => Ae.Build(o, parts, o.NBlocks);
}

/// <summary>The AE / CRA head: autoencoder over cat(features), netC on its reconstruction, raw-feature decoders per modality.</summary>
public sealed class AeHead : FusionHead
{
    readonly SimpleFcAe? netAE;
    readonly ResidualAe? netAE_residual;
    readonly FeatureMlp netC;
    readonly ModuleDict<FeatureMlp> reconstructors;

    public AeHead(IReadOnlyList<string> modalities, int featureDim, int numClasses, IReadOnlyDictionary<string, long> rawDims, int[] layers, int residualBlocks)
        : base(nameof(AeHead), modalities, featureDim, numClasses)
    {
        int fused = featureDim * modalities.Count;
        if (residualBlocks > 0) netAE_residual = new ResidualAe(fused, layers, residualBlocks);
        else netAE = new SimpleFcAe(fused, layers);
        netC = new FeatureMlp(fused, 128, numClasses);
        reconstructors = nn.ModuleDict<FeatureMlp>();
        foreach (var m in modalities)
        {
            var tag = Data.Modalities.Tag(m).ToUpperInvariant();
            reconstructors.Add($"net{tag}{tag}", new FeatureMlp(fused, 128, (int)rawDims[m]));
        }
        RegisterComponents();
    }

    /// <summary>Class logits and each modality's reconstructed raw features.</summary>
    public (Tensor Logits, Dictionary<string, Tensor> Reconstructed) Forward(IReadOnlyDictionary<string, Tensor> features)
    {
        var h = cat(Ordered(features), 1);
        var recon = netAE is not null ? netAE.Forward(h).Reconstruction : netAE_residual!.Forward(h).Reconstruction;
        var raw = Modalities.ToDictionary(m => m, m =>
        {
            var tag = Data.Modalities.Tag(m).ToUpperInvariant();
            return reconstructors[$"net{tag}{tag}"].call(recon);
        });
        return (netC.call(recon), raw);
    }

    public override Tensor Fuse(IReadOnlyDictionary<string, Tensor> features) => Forward(features).Logits;

    public override Tensor Unimodal(string modality, IReadOnlyDictionary<string, Tensor> features) =>
        throw new NotSupportedException("AE/CRA have no unimodal branch.");
}
