using Repro.Models.Encoders;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Repro.Models.Fusion;

/// <summary>
/// MMTM intermediate fusion of two ResNet-18 streams (DGL Table 2; shicaiwei123/ICCV2025-GDL@b72a55f
/// models/mmtm_net.py MMTM_Net). The encoders stop after layer2 (<see cref="ResNet18Front"/>); this fusion module runs
/// the rest: mmtm0 on the two layer2 maps, each stream's layer3, mmtm1, each stream's layer4, mmtm2, average pooling,
/// and fc = Linear(8w_A + 8w_B, C) on the concatenated pooled features (<see cref="Mmtm"/> for the module). As in the
/// official network, layer3, layer4 and the MMTMs belong to the fusion module, so a method's encoder is a stream's stem,
/// layer1 and layer2 (DGL's truncation detaches the layer2 maps; OGM-GE modulates those stages).
/// <para>Unimodal logits of modality m: the fusion module with the other modality's layer2 map replaced by zeros, as
/// DGL §4.3 states for every method in Table 2 and its code computes them (fusion(x, zeros_like(y)), then fc with its
/// full bias). Stage modules are registered as {modality}_layer3 and {modality}_layer4; with
/// <see cref="MmtmSettings.SharedStages"/> the second stream runs the first stream's (the official code's assignment).</para>
/// </summary>
public sealed class MmtmFusion : FusionHead
{
    readonly Dictionary<string, (Sequential Layer3, Sequential Layer4)> _stages = new();
    readonly Mmtm mmtm0;
    readonly Mmtm mmtm1;
    readonly Mmtm mmtm2;
    readonly Linear fc;
    readonly MmtmUnimodalNorm _unimodalNorm;
    readonly Encoders.BatchNorm2d[] _norms;   // layer3's and layer4's, for MmtmUnimodalNorm.Batch

    /// <param name="resnets">Each modality's ResNet-18, whose layer3 and layer4 this module takes over.</param>
    public MmtmFusion(IReadOnlyList<string> modalities, IReadOnlyList<ResNet18> resnets, int numClasses, MmtmSettings settings)
        : base(nameof(MmtmFusion), modalities, 8 * resnets[0].Width, numClasses)
    {
        if (modalities.Count != 2 || resnets.Count != 2)
            throw new ArgumentException($"MMTM fusion joins exactly two streams, got {modalities.Count} modalities ({string.Join(", ", modalities)}).");
        if (settings.SharedStages && resnets[0].Width != resnets[1].Width)
            throw new ArgumentException($"Shared MMTM stages need streams of one width, got {resnets[0].Width} and {resnets[1].Width}.");
        for (int i = 0; i < 2; i++)
        {
            var owner = settings.SharedStages ? resnets[0] : resnets[i];
            _stages[modalities[i]] = (owner.Layer3, owner.Layer4);
            if (settings.SharedStages && i == 1) continue;
            register_module(modalities[i] + "_layer3", owner.Layer3);
            register_module(modalities[i] + "_layer4", owner.Layer4);
        }
        _unimodalNorm = settings.UnimodalNorm;
        long wa = resnets[0].Width, wv = resnets[1].Width;
        mmtm0 = new Mmtm(2 * wa, 2 * wv, settings.Ratio, settings.Gate);
        mmtm1 = new Mmtm(4 * wa, 4 * wv, settings.Ratio, settings.Gate);
        mmtm2 = new Mmtm(8 * wa, 8 * wv, settings.Ratio, settings.Gate);
        fc = nn.Linear(8 * (wa + wv), numClasses);
        register_module(nameof(mmtm0), mmtm0);
        register_module(nameof(mmtm1), mmtm1);
        register_module(nameof(mmtm2), mmtm2);
        register_module(nameof(fc), fc);
        _norms = modules().OfType<Encoders.BatchNorm2d>().ToArray();
    }

    /// <summary>
    /// A model of two ResNet-18 encoders joined by MMTM: each encoder cut after layer2, the rest in an
    /// <see cref="MmtmFusion"/>. Other encoders are refused: MMTM sits between ResNet stages.
    /// </summary>
    public static MultimodalModel Model(IReadOnlyList<(string Modality, nn.Module<Tensor, Tensor> Encoder)> encoders, int numClasses, MmtmSettings settings)
    {
        var resnets = encoders.Select(e => e.Encoder as ResNet18 ?? throw new ArgumentException(
            $"fusion=mmtm sits between ResNet-18 stages, and the {e.Modality} encoder is a {e.Encoder.GetType().Name} (use a dataset with ResNet-18 encoders: cremad, ks).")).ToArray();
        var head = new MmtmFusion(encoders.Select(e => e.Modality).ToArray(), resnets, numClasses, settings);
        return new MultimodalModel(encoders.Select((e, i) => (e.Modality, (nn.Module<Tensor, Tensor>)new ResNet18Front(resnets[i]))).ToArray(), head);
    }

    public override Tensor Fuse(IReadOnlyDictionary<string, Tensor> features)
    {
        using var scope = NewDisposeScope();
        string ma = Modalities[0], mb = Modalities[1];
        var f = Ordered(features);
        var (a, b) = mmtm0.call(f[0], f[1]);
        (a, b) = mmtm1.call(FeatureMaps.PerFrame(_stages[ma].Layer3.call, a), FeatureMaps.PerFrame(_stages[mb].Layer3.call, b));
        (a, b) = mmtm2.call(FeatureMaps.PerFrame(_stages[ma].Layer4.call, a), FeatureMaps.PerFrame(_stages[mb].Layer4.call, b));
        return fc.call(cat([FeatureMaps.Pool(a), FeatureMaps.Pool(b)], 1)).MoveToOuterDisposeScope();
    }

    /// <remarks>
    /// The zeroed stream runs through layer3's and layer4's BatchNorm. In training mode BatchNorm would normalise it by
    /// the zero batch's statistics (its first BatchNorm outputs its bias exactly) and move the running statistics toward
    /// them, while at test time the same zeroed stream is normalised by the running statistics: the unimodal branch is
    /// trained on one input and evaluated on another. So by default (<see cref="MmtmUnimodalNorm.Running"/>) a
    /// unimodal pass runs this module in evaluation mode, gradients flowing as usual, and only fused passes update the
    /// running statistics. <see cref="MmtmUnimodalNorm.Batch"/> is the official MMTM_Net's training-mode pass for
    /// passes that train (DGL's, G-Blending's and MMPareto's unimodal losses); a no-grad pass in training mode is a
    /// measurement (the unimodal losses joint training logs, OGM-GE's scores) and runs in evaluation mode under both,
    /// so that measuring does not change the model that is evaluated.
    /// </remarks>
    public override Tensor Unimodal(string modality, IReadOnlyDictionary<string, Tensor> features)
    {
        IndexOf(modality);
        var only = OnlyKeep(modality, features);
        if (!training) return Fuse(only);
        if (!is_grad_enabled() || _unimodalNorm == MmtmUnimodalNorm.Running)
        {
            eval();
            try { return Fuse(only); }
            finally { train(); }
        }
        if (_unimodalNorm == MmtmUnimodalNorm.Official) return Fuse(only);
        foreach (var n in _norms) n.KeepRunningStats = true;
        try { return Fuse(only); }
        finally { foreach (var n in _norms) n.KeepRunningStats = false; }
    }
}
