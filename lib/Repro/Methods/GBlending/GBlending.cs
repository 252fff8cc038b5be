using System.Text.Json.Nodes;
using Repro.Data;
using Repro.Models;
using Repro.Models.Fusion;
using TorchSharp;
using TorchSharp.Modules;
using DataLoader = Repro.Data.DataLoader;
using static TorchSharp.torch;
using Repro.Training;

namespace Repro.Methods.GBlending;

/// <summary>
/// Gradient-Blending (Wang, Tran &amp; Feiszli, "What Makes Training Multi-modal Classification Networks Hard?",
/// CVPR 2020, arXiv 1905.12681). The authors released no training code that fits here, so the default follows the
/// paper (docs/decisions.md#defaults); BalanceBenchmark's implementation is an option.
/// <para>
/// Default, variant = paper (Sec. 3): the network has a fused head and a separate classifier per modality
/// (<see cref="AuxiliaryHeadsFusion"/>); it is trained on the blended loss L = Σ_k w_k L_k over the terms
/// k ∈ {each modality's classifier, the fused head}. The weights are estimated before epoch 0 and then every
/// super_epoch epochs (method = online; offline: once, before epoch 0): for each term k, a temporary copy of the current
/// network is trained on L_k alone for super_epoch epochs (its own optimizer, fresh state); with L^T and L^V the
/// per-sample mean losses of term k on the training set and on the held-out set, measured at the window's start (N) and
/// end (N+n) in evaluation mode, ΔG_k = L^V_N - L^V_{N+n} (the DEcrease of held-out loss), O = L^V - L^T,
/// ΔO_k = O_{N+n} - O_N, and w_k ∝ ΔG_k / ΔO_k², normalised to sum 1. The paper's derivation assumes ΔG &gt; 0; the kit
/// gives a term whose held-out loss did not decrease weight 0, divides by max(ΔO², ogr_eps), and keeps the previous
/// weights (uniform at first) if every term gets 0.
/// </para>
/// <para>
/// variant = balancebenchmark (GeWu-Lab/BalanceBenchmark@4c1482f, balancemm/trainer/GBlending_trainer.py fit,
/// training_step, super_epoch_origin; what the `gblending-*` parity fixtures replay): one network with the chosen fusion
/// head; the unimodal terms are the concat head's weight slices plus bias/M (avclassify_model.py:277-294; other heads
/// have none there, so only the fused term is trained); at every epoch e with e % super_epoch == 0 (offline:
/// super_epoch = the number of epochs), for each term in (modalities..., output) a copy T of the model gets its own
/// optimizer in its initial state and is trained for super_epoch epochs on CE of the FUSED logits with the other
/// modalities' inputs zeroed (none for output); tr = the sum over the epoch's batches of the pre-step batch losses,
/// va = the sum over held-out batches of batch-mean losses, both kept after temp epoch 0 (pre) and temp epoch
/// super_epoch-1 (now; 0 if super_epoch = 1); g = now_va - pre_va, o = (now_va - now_tr) - (pre_va - pre_tr),
/// w = |g / o²|, normalised to sum 1 (GBlending_trainer.py:306-376). Differences from the paper, kept in this variant:
/// the sign of g and the abs (a rising held-out loss earns weight), summed instead of averaged losses, a window of
/// super_epoch-1 epochs, zero-padded copies of the multimodal network instead of unimodal networks, shared head
/// parameters. Not copied: BalanceBenchmark measures on its TEST set (dataset_config.yaml validation: false); the kit
/// uses the held-out split unless held_out = test. Its CLI never reaches this trainer's fit (train.py:82 compares
/// 'GBlending' with 'GBlendingTrainer'); the fixtures bypass that.
/// </para>
/// <para>
/// alpha (default 1): DGL's Table 4 sweeps an alpha for G-Blending that G-Blending's paper does not have. The kit reads
/// it as DGL eq. 15 uses its own alpha, a factor on the unimodal losses: L = w_out L_out + alpha Σ_m w_m L_m in the main
/// training step. The estimate of the weights w is unchanged.
/// </para>
/// fusion=mmtm (DGL Table 2): the paper variant has no separate classifiers; each modality's term uses the MMTM fusion
/// module with the other modality's layer2 map zeroed, as DGL §4.3 evaluates G-Blending there.
/// Options: <see cref="GBlendingOptions"/> (`repro methods gblending`). Logged: loss (the blended loss), loss_a, loss_v, ... (CE of each modality's logits),
/// loss_out (CE of the fused logits). Multi-label data: BCE in place of CE. Any number of modalities.
/// </summary>
[Method("gblending", "Gradient-Blending (Wang et al., CVPR 2020): blended unimodal and fused losses, weights from OGR")]
[MethodAlias("g-blending", "gblending")]
public sealed class GBlending : Method, ITracedMethod
{
    readonly Func<MultimodalModel> _build;
    readonly double[] _weights;
    MultimodalModel? _temp;

    GBlending(MultimodalModel model, GBlendingOptions o, Func<MultimodalModel> build) : base(model, o)
    {
        Variant = o.Variant;
        _build = build;
        Schedule = o.Method;
        SuperEpoch = o.SuperEpoch;
        HeldOut = o.HeldOut;
        OgrEps = o.OgrEps;
        TempOptimizer = o.TempOptimizer;
        Alpha = o.Alpha;
        _weights = Enumerable.Repeat(1.0 / (Modalities.Count + 1), Modalities.Count + 1).ToArray();
    }

    public GBlendingVariant Variant { get; }
    public GBlendingSchedule Schedule { get; }
    public int SuperEpoch { get; }
    public HeldOutSplit HeldOut { get; }
    public double OgrEps { get; }
    public JsonObject? TempOptimizer { get; }
    /// <summary>The factor on the unimodal terms of the blended loss (DGL Table 4; 1 = G-Blending's loss).</summary>
    public double Alpha { get; }
    public MethodTrace? Trace { get; set; }

    /// <summary>The blending terms in order: the modalities, then "output" (the fused head).</summary>
    public IReadOnlyList<string> Terms => Modalities.Append("output").ToArray();

    /// <summary>The current weights, in <see cref="Terms"/> order.</summary>
    public IReadOnlyList<double> Weights => _weights;

    public static GBlending Create(GBlendingOptions o, ModelParts parts)
    {
        // fusion=mmtm or mixer: no separate classifiers; a modality's logits are the fusion module's with the others zeroed (DGL §4.3)
        bool auxiliary = o.Variant == GBlendingVariant.Paper && o.Fusion is not (FusionKind.Mmtm or FusionKind.Mixer);
        MultimodalModel Build() => parts.FusionModel(o, auxiliary ? fused => new AuxiliaryHeadsFusion(fused) : null);
        return new GBlending(Build(), o, Build);
    }

    bool Paper => Variant == GBlendingVariant.Paper;
    int Window(EpochContext ctx) => !Paper && Schedule == GBlendingSchedule.Offline ? ctx.Epochs : SuperEpoch;

    /// <summary>Whether the weights are (re-)estimated before epoch <paramref name="epoch"/>.</summary>
    public bool EstimatesBefore(int epoch) => Schedule == GBlendingSchedule.Offline ? epoch == 0 : epoch % SuperEpoch == 0;

    /// <summary>The paper's weight (before normalisation): ΔG / ΔO² from the losses at the window's start and end; 0 when ΔG &lt;= 0.</summary>
    public static double PaperWeight(double preTrain, double preVal, double nowTrain, double nowVal, double eps = 1e-12)
    {
        double dG = preVal - nowVal;
        double dO = (nowVal - nowTrain) - (preVal - preTrain);
        return dG > 0 ? dG / Math.Max(dO * dO, eps) : 0;
    }

    /// <summary>BalanceBenchmark's weight (before normalisation): |g / o²| with g = now_va - pre_va (GBlending_trainer.py:361-366).</summary>
    public static double BalanceBenchmarkWeight(double preTrain, double preVal, double nowTrain, double nowVal)
    {
        double g = nowVal - preVal;
        double o = (nowVal - nowTrain) - (preVal - preTrain);
        return Math.Abs(g / (o * o));
    }

    /// <summary>Weights divided by their sum; null when the sum is not a positive finite number.</summary>
    public static double[]? Normalise(IReadOnlyList<double> raw)
    {
        double sum = raw.Sum();
        return sum > 0 && double.IsFinite(sum) ? raw.Select(w => w / sum).ToArray() : null;
    }

    public override void OnEpochStart(EpochContext ctx)
    {
        if (!EstimatesBefore(ctx.Epoch)) return;
        var heldOut = (HeldOut == HeldOutSplit.Test ? ctx.Test : ctx.Validation)
            ?? throw new InvalidOperationException(HeldOut == HeldOutSplit.Test
                ? "Method gblending (held_out=test): the run has no test loader."
                : "Method gblending estimates its weights on a held-out split, and the run has no validation split: carve one (a validation fraction) or set held_out=test.");
        _temp ??= BuildTemp(ctx.Device);
        var raw = new double[Terms.Count];
        var losses = new List<double>();
        for (int k = 0; k < Terms.Count; k++)
        {
            var (preTr, preVa, nowTr, nowVa) = Paper ? EstimatePaper(ctx, heldOut, k) : EstimateBalanceBenchmark(ctx, heldOut, k);
            losses.AddRange([preTr, preVa, nowTr, nowVa]);
            raw[k] = Paper ? PaperWeight(preTr, preVa, nowTr, nowVa, OgrEps) : BalanceBenchmarkWeight(preTr, preVa, nowTr, nowVa);
        }
        var normalised = Normalise(raw);
        if (normalised is null && !Paper)
            throw new InvalidOperationException($"Method gblending (variant=balancebenchmark): the estimated weights [{string.Join(", ", raw)}] cannot be normalised (an overfitting change o of 0 divides by zero).");
        if (normalised is not null) Array.Copy(normalised, _weights, _weights.Length);
        Trace?.Add("events", ctx.Epoch);
        Trace?.Add("weights", (double[])_weights.Clone());
        Trace?.Add("ogr_losses", losses.ToArray());
    }

    /// <summary>The paper's estimate for term k: per-sample mean losses before and after super_epoch epochs of L_k on a copy.</summary>
    (double, double, double, double) EstimatePaper(EpochContext ctx, DataLoader heldOut, int k)
    {
        var temp = CopyToTemp();
        double preTr = MeanLoss(temp, ctx.Train, k, ctx), preVa = MeanLoss(temp, heldOut, k, ctx);
        using (var opt = MakeTempOptimizer(temp, ctx, initialLr: false))
            for (int j = 0; j < SuperEpoch; j++)
            {
                temp.train();
                int planEpoch = ctx.Epoch + j;
                foreach (var indices in ctx.Train.Plan(planEpoch))
                {
                    using var scope = NewDisposeScope();
                    var batch = ctx.Train.Load(indices, planEpoch).To(ctx.Device);
                    temp.zero_grad(set_to_none: true);
                    TermLoss(temp, batch, k).backward();
                    opt.step();
                }
            }
        return (preTr, preVa, MeanLoss(temp, ctx.Train, k, ctx), MeanLoss(temp, heldOut, k, ctx));
    }

    /// <summary>
    /// L_k: CE of modality k's own classifier on its features, or of the fused head (k = the last term). Without
    /// separate classifiers (fusion=mmtm), modality k's logits are the fusion module's with the other features zeroed,
    /// which needs every encoder's output (for the zeros' shape).
    /// </summary>
    Tensor TermLoss(MultimodalModel model, Batch batch, int k)
    {
        if (k == Modalities.Count) return TaskLoss(model.Head.Fuse(model.Encode(batch)), batch);
        var m = Modalities[k];
        var features = model.Head is AuxiliaryHeadsFusion
            ? new Dictionary<string, Tensor> { [m] = model.Encoder(m).call(batch.Inputs[m]) }
            : model.Encode(batch);
        return TaskLoss(model.Head.Unimodal(m, features), batch);
    }

    double MeanLoss(MultimodalModel model, DataLoader loader, int k, EpochContext ctx)
    {
        model.eval();
        double sum = 0;
        long n = 0;
        using var noGrad = no_grad();
        foreach (var indices in loader.Plan(0))
        {
            using var scope = NewDisposeScope();
            var batch = loader.Load(indices, ctx.Epoch).To(ctx.Device);
            sum += TermLoss(model, batch, k).item<float>() * (double)batch.Size;
            n += batch.Size;
        }
        return sum / n;
    }

    /// <summary>super_epoch_origin (GBlending_trainer.py:306-366) for one term: (pre_tr, pre_va, now_tr, now_va), sums over batches.</summary>
    (double, double, double, double) EstimateBalanceBenchmark(EpochContext ctx, DataLoader heldOut, int k)
    {
        var temp = CopyToTemp();
        var padded = k == Modalities.Count ? Array.Empty<string>() : Modalities.Where((_, i) => i != k).ToArray();
        int window = Window(ctx);
        double preTr = 0, preVa = 0, nowTr = 0, nowVa = 0;
        using var opt = MakeTempOptimizer(temp, ctx, initialLr: true);
        for (int j = 0; j < window; j++)
        {
            temp.train();
            double tr = 0;
            int planEpoch = ctx.Epoch + j;
            foreach (var indices in ctx.Train.Plan(planEpoch))
            {
                using var scope = NewDisposeScope();
                var batch = ZeroPadding.Pad(ctx.Train.Load(indices, planEpoch).To(ctx.Device), padded);
                opt.zero_grad();
                var loss = TaskLoss(temp.Head.Fuse(temp.Encode(batch)), batch);
                loss.backward();
                opt.step();
                tr += loss.item<float>();
            }
            if (j != 0 && j != window - 1) continue;
            temp.eval();
            double va = 0;
            using (no_grad())
                foreach (var indices in heldOut.Plan(0))
                {
                    using var scope = NewDisposeScope();
                    var batch = ZeroPadding.Pad(heldOut.Load(indices, 0).To(ctx.Device), padded);
                    va += TaskLoss(temp.Head.Fuse(temp.Encode(batch)), batch).item<float>();
                }
            if (j == 0) (preTr, preVa) = (tr, va);
            else (nowTr, nowVa) = (tr, va);
        }
        return (preTr, preVa, nowTr, nowVa);
    }

    /// <summary>The temporary copy's module, built without consuming the global generator (its weights are overwritten anyway),
    /// so a resumed run draws the same numbers as an uninterrupted one.</summary>
    MultimodalModel BuildTemp(Device device)
    {
        var state = torch.random.get_rng_state();
        try { return _build().to(device); }
        finally { torch.random.set_rng_state(state); state.Dispose(); }
    }

    MultimodalModel CopyToTemp()
    {
        var temp = _temp!;
        using var noGrad = no_grad();
        var target = temp.state_dict();
        foreach (var (name, value) in Model.state_dict()) target[name].copy_(value);
        return temp;
    }

    /// <summary>A fresh optimizer over the copy: temp_optimizer if given, else the run's optimizer kind and settings.</summary>
    optim.Optimizer MakeTempOptimizer(MultimodalModel temp, EpochContext ctx, bool initialLr)
    {
        var ps = temp.parameters().Where(p => p.requires_grad).ToArray();
        var main = ctx.Optimizer;
        var group = main?.ParamGroups.FirstOrDefault();
        double? mainLr = group is null ? null : initialLr ? group.InitialLearningRate : group.LearningRate;
        if (TempOptimizer is { } spec)
        {
            var type = spec["type"]?.GetValue<string>() ?? "sgd";
            double lr = spec["lr"]?.GetValue<double>() ?? mainLr
                ?? throw new ArgumentException("Method gblending: temp_optimizer has no lr and the run's optimizer is unknown.");
            double wd = spec["weight_decay"]?.GetValue<double>() ?? 0;
            return type switch
            {
                "sgd" => new Training.Optim.SGD(ps, lr, momentum: spec["momentum"]?.GetValue<double>() ?? 0, weightDecay: wd),
                "adam" => new Training.Optim.Adam(ps, lr, weightDecay: wd),
                "adamw" => new Training.Optim.AdamW(ps, lr, weightDecay: wd),
                _ => throw new ArgumentException($"Method gblending: temp_optimizer.type={type} is not one of sgd, adam, adamw."),
            };
        }
        var settings = (group as ParamGroup)?.Options;
        return main switch
        {
            SGD => new Training.Optim.SGD(ps, mainLr!.Value, momentum: (settings as SGD.Options)?.momentum ?? 0,
                weightDecay: (settings as SGD.Options)?.weight_decay ?? 0),
            Training.Optim.AdamW => new Training.Optim.AdamW(ps, mainLr!.Value, weightDecay: (settings as Adam.Options)?.weight_decay ?? 0.01),
            Adam => new Training.Optim.Adam(ps, mainLr!.Value, weightDecay: (settings as Adam.Options)?.weight_decay ?? 0),
            null => throw new InvalidOperationException("Method gblending: the epoch hook got no optimizer; give temp_optimizer={type, lr, ...}."),
            _ => throw new InvalidOperationException($"Method gblending: cannot copy the settings of a {main.GetType().Name}; give temp_optimizer={{type, lr, ...}}."),
        };
    }

    public override StepResult TrainStep(Batch batch, StepContext ctx)
    {
        ctx.ZeroGrad();
        var features = Model.Encode(batch);
        var lossOut = TaskLoss(Model.Head.Fuse(features), batch);
        var result = new StepResult();
        Tensor? loss = null;
        // training_step (GBlending_trainer.py:292-303): the terms in order, modalities then output.
        for (int k = 0; k < Modalities.Count; k++)
        {
            var m = Modalities[k];
            if (!Paper && Model.Head is not ConcatFusion) continue;
            var lossM = TaskLoss(Model.Head.Unimodal(m, features), batch);
            result.Add("loss_" + Data.Modalities.Tag(m), lossM);
            var term = lossM * (Alpha * _weights[k]);
            loss = loss is null ? term : loss + term;
        }
        var outTerm = lossOut * _weights[^1];
        loss = loss is null ? outTerm : loss + outTerm;
        result.Add("loss", loss).Add("loss_out", lossOut);
        Trace?.Add("loss_out", lossOut.item<float>());
        loss.backward();
        ctx.Step();
        return result;
    }

    public override Dictionary<string, Tensor> StateTensors() => new() { ["gblending/weights"] = tensor(_weights) };

    public override void LoadStateTensors(IReadOnlyDictionary<string, Tensor> state)
    {
        if (state.TryGetValue("gblending/weights", out var w))
            Array.Copy(w.to_type(ScalarType.Float64).data<double>().ToArray(), _weights, _weights.Length);
    }
}
