using Repro.Data;
using Repro.Models;
using Repro.Models.Fusion;
using Repro.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Repro.Methods.Dgl;

/// <summary>
/// Disentangled Gradient Learning (Wei, Luo and Luo, ICCV 2025; shicaiwei123/ICCV2025-GDL@b72a55f main_dgl.py 90-154).
/// Per batch: one forward of the encoders; the unimodal losses L_m = CE(head with only modality m) (DGL eq. 11-14)
/// are back-propagated with weight alpha; the unimodal gradient is then removed from the fusion head (unimodal
/// truncation); the multimodal loss on detached features (DGL eq. 9-10, multimodal truncation) is back-propagated;
/// the global gradient norm is clipped; one optimizer step. Net effect (DGL eq. 15): encoders are trained only by
/// alpha*sum_m L_m, the head only by the multimodal loss.
/// <para>Options (defaults = the paper; the official code's differences are named options):</para>
/// <list type="bullet">
/// <item><c>fusion</c> = concat (default) | sum | gated | film: DGL's own heads (*FusionDgl.cs beside this file);
/// mmtm: MMTM between the ResNet-18 streams (<see cref="MmtmFusion"/>, DGL Table 2). With mmtm the encoders are the
/// streams' stem, layer1 and layer2, the fused path sees their detached maps, and the unimodal losses (the fusion module
/// with the other map zeroed, as the official MMTM_Net computes them) train only them; gated_detach and unimodal_logits do
/// not apply (both forms of the unimodal logits are that one); the mmtm_* options as for the joint methods.</item>
/// <item><c>alpha</c> (default 4, the paper's CREMA-D value of Tables 1 and 4; the code uses 2-3 on Kinetics-Sounds,
/// 2 on VGGSound): weight of the unimodal losses.</item>
/// <item><c>grad_clip_norm</c> (default 40, main_dgl.py): clip of the global L2 gradient norm; 0 turns it off (the paper
/// names no clipping).</item>
/// <item><c>truncation</c> = both (default, DGL) | multimodal | unimodal | none: DGL Table 3's ablation. multimodal
/// (+MT): detached fused path, but the unimodal gradient stays on the head; unimodal (+UT): the unimodal gradient is
/// removed from the head, but the fused loss also reaches the encoders; none: joint training plus alpha-weighted
/// unimodal losses.</item>
/// <item><c>gated_detach</c> = features (default, eq. 9) | official: where the gated head's fused path is detached;
/// official detaches after fc_x/fc_y, which then never learn (the official bug; the dgl-gated parity fixture replays it).</item>
/// <item><c>unimodal_logits</c> = paper (default) | official: the unimodal logits of the sum and gated heads. paper
/// follows eq. 12 and 14, the fusion module with the other modality's features set to 0: sum fc_x(x) + b_y (fc_y(0) is
/// its bias), gated fc_out(sigmoid(fc_x(x)) * b_y) and fc_out(sigmoid(b_x) * fc_y(y)). official is what the released
/// modules compute: sum fc_x(x) alone, gated fc_out(sigmoid(fc_x(x)) * fc_x(x)), each branch gated by itself (the dgl-sum
/// and dgl-gated parity fixtures replay it). The paper is the default because eq. 12 and 14 define the unimodal logits for
/// any fusion module and the paper names no other form. Concat: both forms are fc_out(cat(z_m, 0)). FiLM keeps the
/// official fc_out(fc(outer(z_m, z_m))) under either value: the paper's form, outer(z_m, 0) = 0, gives every input the
/// same logits and the encoders no gradient, so the paper cannot have trained it and does not say what it did instead.</item>
/// <item><c>test_drop_last</c> (default false): the official test loader drops the last partial batch (CREMA-D scores
/// 704 of 744 clips); applies to the validation and test loaders of a run.</item>
/// <item><c>scheduler_before_epoch</c> (default false): the official code steps MultiStepLR at the start of each
/// epoch, so epoch e trains with the schedule's learning rate of epoch e+1 (the decay comes one epoch early).</item>
/// </list>
/// Logged: loss (the objective L_d + alpha*sum_m L_m), loss_fused (L_d), loss_a, loss_v, ... (unweighted L_m).
/// </summary>
[Method("dgl", "Disentangled Gradient Learning: encoders trained by unimodal losses, head by the detached multimodal loss")]
[MethodAlias("dgl-official", "dgl", "test_drop_last=true", "scheduler_before_epoch=true", "gated_detach=official", "unimodal_logits=official")]
public sealed class Dgl : Method, IAdjustsTraining
{
    readonly double _alpha;
    readonly double _clip;
    readonly bool _truncateMultimodal;
    readonly bool _truncateUnimodal;
    readonly bool _testDropLast;
    readonly bool _schedulerBeforeEpoch;

    Dgl(MultimodalModel model, DglOptions options) : base(model, options)
    {
        _alpha = options.Alpha;
        _clip = options.GradClipNorm;
        _truncateMultimodal = options.Truncation is DglTruncation.Both or DglTruncation.Multimodal;
        _truncateUnimodal = options.Truncation is DglTruncation.Both or DglTruncation.Unimodal;
        _testDropLast = options.TestDropLast;
        _schedulerBeforeEpoch = options.SchedulerBeforeEpoch;
    }


    public static Dgl Create(DglOptions o, ModelParts parts)
    {
        var mmtm = o.MmtmSettings();
        if (o.Fusion == FusionKind.Mmtm) return new Dgl(parts.MmtmModel(mmtm), o);
        var encoders = parts.Encoders();
        var d = ((Models.Encoders.IEncoder)encoders[0].Encoder).FeatureDim;
        var head = DglFusionHeads.Create(o.Fusion, parts.Modalities, d, parts.NumClasses, o.UnimodalLogits, o.MixerSettings());
        if (head is GatedFusionDgl gated) gated.OfficialDetach = o.GatedDetach == DglGatedDetach.Official;
        return new Dgl(new MultimodalModel(encoders, head), o);
    }

    public override StepResult TrainStep(Batch batch, StepContext ctx)
    {
        ctx.ZeroGrad();
        var features = Model.Encode(batch);
        var result = new StepResult();
        Tensor? uni = null;
        foreach (var m in Modalities)
        {
            var lm = TaskLoss(Model.Head.Unimodal(m, features), batch);
            result.Add("loss_" + Data.Modalities.Tag(m), lm);
            uni = uni is null ? lm : uni + lm;
        }
        var weighted = uni! * _alpha;
        var fused = TaskLoss(_truncateMultimodal ? Model.Head.FuseTruncated(features) : Model.Head.Fuse(features), batch);
        result.Add("loss_fused", fused).Add("loss", fused.detach() + weighted.detach());

        weighted.backward(retain_graph: true);                                    // main_dgl.py: loss_uni.backward(retain_graph=True)
        if (_truncateUnimodal) StepContext.RemoveGrads(Model.HeadParameters());   // fusion_module grads = None
        fused.backward();
        if (_clip > 0) ClipGradNorm(Model.parameters(), _clip);                   // clip_grad_norm_(model.parameters(), 40)
        ctx.Step();
        return result;
    }

    /// <summary>
    /// torch.nn.utils.clip_grad_norm_ (PyTorch 1.13): total = ||(||g_1||, ..., ||g_n||)||_2 over parameters that have a
    /// gradient; every gradient is multiplied by min(max_norm / (total + 1e-6), 1).
    /// </summary>
    public static double ClipGradNorm(IEnumerable<Parameter> parameters, double maxNorm)
    {
        using var scope = NewDisposeScope();
        var grads = parameters.Select(p => p.grad).Where(g => g is not null).Select(g => g!).ToList();
        if (grads.Count == 0) return 0;
        var total = stack(grads.Select(g => g.detach().norm()).ToArray()).norm();
        var coef = (maxNorm / (total + 1e-6)).clamp_max(1.0);
        using (no_grad())
            foreach (var g in grads) g.mul_(coef);
        return total.item<float>();
    }

    public TrainConfig AdjustTraining(TrainConfig config)
    {
        if (_testDropLast) config = config with { DropLastEval = true };
        if (_schedulerBeforeEpoch)
        {
            var lr = config.Lr;
            var perEpoch = Enumerable.Range(0, config.Epochs)
                .Select(e => lr.PerEpoch is { } list ? list[Math.Min(e + 1, list.Length - 1)] : lr.At(e + 1)).ToArray();
            config = config with { Lr = LrSchedule.Explicit(perEpoch) };
        }
        return config;
    }
}
