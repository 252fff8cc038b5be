using Repro.Data;
using Repro.Models;
using Repro.Models.Fusion;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Repro.Training;

namespace Repro.Methods.MmPareto;

/// <summary>
/// MMPareto (Wei &amp; Hu, ICML 2024), as the authors' code runs it: GeWu-Lab/MMPareto_ICML2024@a339db3,
/// code/MMPareto.py train_epoch, code/min_norm_solvers.py MinNormSolver, models/models.py AVClassifier.
/// <para>
/// The model has a fused head (`fused`, concat by default) and a separate linear head per modality (`head_audio`,
/// `head_visual`, ...; models/models.py:151-156). Each batch: L_mm = CE(fused), L_m = CE(head_m(f_m)). For every encoder
/// m, g_mm = dL_mm/dθ_m and g_m = dL_m/dθ_m (θ_m: all of m's encoder tensors, flattened and concatenated);
/// if cos(g_mm, g_m) &gt; 0 the weights are (0.5, 0.5), otherwise the closed-form two-vector min-norm weights
/// (c, 1 - c) computed in float32 like the official solver (MMPareto.py:149-174, min_norm_solvers.py:9-30).
/// Then one backward of L_mm + Σ L_m gives G; for EACH encoder tensor p separately, h = 2 k_mm g_mm[p] + 2 k_uni g_m[p],
/// r = ||G[p]|| / ||h||, and grad[p] = gamma * (r &gt; 1 ? r h : h): rescaled up to the norm of G[p], never down, then
/// times gamma (MMPareto.py:178-207; gamma 1.5 is hard-coded there). Head tensors keep G.
/// </para>
/// Options: fusion = concat | sum | film | gated (the fused head; concat in the code) | mmtm (DGL Table 2: MMTM between
/// the ResNet-18 streams, no separate heads, each unimodal loss the fusion module's with the other modality's layer2 map
/// zeroed, as DGL §4.3 states), gamma (1.5).
/// lr_schedule = constant | run: the official script creates a StepLR(30, 0.1) that it never steps (MMPareto.py:301),
/// so the authors train at the initial learning rate throughout; `constant` (the default of variant=authors) holds every
/// step at the run's initial learning rate, whatever the run's schedule says (the run history's lr column still shows
/// the schedule); `run` follows the run's schedule (the default of variant=balancebenchmark, whose scheduler is stepped).
/// variant = authors | balancebenchmark: BalanceBenchmark (GeWu-Lab/BalanceBenchmark@4c1482f,
/// balancemm/trainer/MMPareto_trainer.py:347-399) takes the unimodal logits from the fused head (concat weight slices
/// plus bias/M, avclassify_model.py:277-294; other heads have none, so only CE(fused) is trained there), and records the
/// "multimodal" and "unimodal" gradients after back-propagating every loss without zeroing in between, so both are the
/// same total gradient G: the cosine is 1, the weights 0.5/0.5, h = 2G, r = 1/2 and every encoder gradient becomes
/// 2 gamma G = 3G. The kit reproduces that net effect with one backward. BalanceBenchmark's bugs are not copied: its
/// min-norm result is assigned to the loop variable (MMPareto_trainer.py:381), which would give NaN gradients if the
/// branch were ever reached, and outside its window (modulation_starts..ends) its step has no loss and fails; the kit
/// applies the variant in every epoch.
/// Logged: loss (L_mm + Σ L_m), loss_mm, loss_a, loss_v, ...
/// Any number of modalities: each encoder is tested against its own unimodal loss (the code has two). Multi-label data:
/// the same rule on the BCE losses. Where h = 0 (a min-norm point at the origin: Pareto-stationary) the official ratio is
/// infinite and the gradient NaN; the kit leaves that encoder's gradient at 0.
/// </summary>
[Method("mmpareto", "MMPareto (Wei & Hu, ICML 2024): Pareto integration of multimodal and unimodal gradients")]
public sealed class MmPareto : Method, ITracedMethod
{
    MmPareto(MultimodalModel model, MmParetoOptions o) : base(model, o)
    {
        Variant = o.Variant;
        Gamma = o.Gamma;
        LrSchedule = o.LrSchedule ?? (Variant == BaselineVariant.Authors ? MmParetoLrSchedule.Constant : MmParetoLrSchedule.Run);
    }

    public BaselineVariant Variant { get; }
    public double Gamma { get; }
    public MmParetoLrSchedule LrSchedule { get; }
    public MethodTrace? Trace { get; set; }

    public static MmPareto Create(MmParetoOptions o, ModelParts parts)
    {
        if (parts.Modalities.Count < 2) throw new ArgumentException("Method mmpareto needs at least two modalities.");
        // fusion=mmtm or mixer: no separate heads; a modality's logits are the fusion module's with the others zeroed (DGL §4.3)
        bool auxiliary = o.Variant == BaselineVariant.Authors && o.Fusion is not (FusionKind.Mmtm or FusionKind.Mixer);
        return new MmPareto(parts.FusionModel(o, auxiliary ? fused => new AuxiliaryHeadsFusion(fused) : null), o);
    }

    /// <summary>
    /// MinNormSolver._min_norm_element_from2 on the dot products of the official call, which passes each task's
    /// per-tensor gradients AND their concatenation (so every dot product is counted twice; c is unaffected).
    /// Float32 throughout, as the solver accumulates 0-d float32 tensors. Returns (k_mm, k_uni) = (c, 1 - c).
    /// </summary>
    public static (float Kmm, float Kuni) MinNormWeights(IReadOnlyList<Tensor> g1, IReadOnlyList<Tensor> g2)
    {
        using var scope = NewDisposeScope();
        var x1 = g1.Append(cat(g1.Select(g => g.flatten()).ToArray())).ToArray();
        var x2 = g2.Append(cat(g2.Select(g => g.flatten()).ToArray())).ToArray();
        float Dot(Tensor[] a, Tensor[] b)
        {
            float acc = 0f;
            for (int i = 0; i < a.Length; i++) acc += (a[i] * b[i]).sum().item<float>();
            return acc;
        }
        float v12 = Dot(x1, x2), v11 = Dot(x1, x1), v22 = Dot(x2, x2);
        float c = v12 >= v11 ? 0.999f : v12 >= v22 ? 0.001f : -1.0f * ((v12 - v22) / (v11 + v22 - 2 * v12));
        return (c, 1f - c);
    }

    /// <summary>MMPareto.py:165-174: (0.5, 0.5) when cos(g_mm, g_uni) &gt; 0, else the min-norm weights; with the cosine.</summary>
    public static (double Kmm, double Kuni, double Cos) Weights(IReadOnlyList<Tensor> gMm, IReadOnlyList<Tensor> gUni)
    {
        using var scope = NewDisposeScope();
        var cos = nn.functional.cosine_similarity(cat(gMm.Select(g => g.flatten()).ToArray()), cat(gUni.Select(g => g.flatten()).ToArray()), dim: 0).item<float>();
        if (cos > 0) return (0.5, 0.5, cos);
        var (kmm, kuni) = MinNormWeights(gMm, gUni);
        return (kmm, kuni, cos);
    }

    /// <summary>MMPareto.py:189-207 for one tensor: h = 2 k_mm g_mm + 2 k_uni g_uni, then gamma * (r &gt; 1 ? r h : h) with r = ||G|| / ||h||.</summary>
    public static Tensor Combine(Tensor total, Tensor gMm, Tensor gUni, double kMm, double kUni, double gamma)
    {
        using var scope = NewDisposeScope();
        using Scalar twoKMm = (2 * kMm).ToScalar(), twoKUni = (2 * kUni).ToScalar(), g = gamma.ToScalar();   // held: called per parameter per step
        var h = gMm.mul(twoKMm).add(gUni.mul(twoKUni), Native.HeldScalars.One);
        var hNorm = h.norm();
        if (hNorm.item<float>() == 0) return h.mul(g).MoveToOuterDisposeScope();
        var r = total.norm() / hNorm;
        return (r.item<float>() > 1 ? (r * h).mul(g) : h.mul(g)).MoveToOuterDisposeScope();
    }

    public override StepResult TrainStep(Batch batch, StepContext ctx)
    {
        if (LrSchedule == MmParetoLrSchedule.Constant)
            foreach (var group in ctx.Optimizer.ParamGroups) group.LearningRate = group.InitialLearningRate;
        ctx.ZeroGrad();
        var features = Model.Encode(batch);
        var lossMm = TaskLoss(Model.Head.Fuse(features), batch);
        var lossUni = Modalities.Select(m => TaskLoss(Model.Head.Unimodal(m, features), batch)).ToArray();
        var result = new StepResult().Add("loss_mm", lossMm);
        for (int k = 0; k < Modalities.Count; k++) result.Add("loss_" + Data.Modalities.Tag(Modalities[k]), lossUni[k]);
        var groups = Modalities.Select(m => Model.EncoderParameters(m).ToArray()).ToArray();

        if (Variant == BaselineVariant.Authors)
        {
            // MMPareto.py:117-147: each loss's own encoder gradients, from one forward graph.
            var all = groups.SelectMany(g => g).ToArray();
            var gMmAll = Grad(lossMm, all);
            var weights = new (double Kmm, double Kuni)[Modalities.Count];
            var gMm = new Tensor[Modalities.Count][];
            var gUni = new Tensor[Modalities.Count][];
            var cosines = new double[Modalities.Count];
            for (int k = 0, offset = 0; k < Modalities.Count; offset += groups[k].Length, k++)
            {
                gMm[k] = gMmAll.Skip(offset).Take(groups[k].Length).ToArray();
                gUni[k] = Grad(lossUni[k], groups[k]);
                var (kmm, kuni, cos) = Weights(gMm[k], gUni[k]);
                weights[k] = (kmm, kuni);
                cosines[k] = cos;
                Trace?.Add("k_" + Modalities[k], kmm, kuni);
            }
            Trace?.Add("cos", cosines);
            ctx.ZeroGrad();
            var total = lossUni.Aggregate(lossMm, (s, l) => s + l);
            result.Add("loss", total);
            total.backward();
            using var noGrad = no_grad();
            for (int k = 0; k < Modalities.Count; k++)
                for (int i = 0; i < groups[k].Length; i++)
                {
                    using var g = groups[k][i].grad;
                    if (g is null) continue;
                    g.copy_(Combine(g, gMm[k][i], gUni[k][i], weights[k].Kmm, weights[k].Kuni, Gamma));
                }
        }
        else
        {
            // MMPareto_trainer.py:349-399 as it behaves: g_mm = g_uni = G, weights 0.5/0.5.
            var total = lossUni.Aggregate((s, l) => s + l) + lossMm;
            result.Add("loss", total);
            total.backward();
            using var noGrad = no_grad();
            foreach (var p in groups.SelectMany(g => g))
            {
                using var g = p.grad;
                if (g is null) continue;
                g.copy_(Combine(g, g, g, 0.5, 0.5, Gamma));
            }
        }
        ctx.Step();
        return result;
    }

    static Tensor[] Grad(Tensor loss, Parameter[] parameters)
    {
        var grads = torch.autograd.grad([loss], parameters, retain_graph: true, allow_unused: true);
        return parameters.Select((p, i) => grads[i] is { } g && !g.IsInvalid ? g : zeros_like(p)).ToArray();
    }
}
