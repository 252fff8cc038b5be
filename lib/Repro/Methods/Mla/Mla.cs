using Repro.Data;
using Repro.Models;
using Repro.Models.Fusion;
using TorchSharp;
using static TorchSharp.torch;
using Repro.Training;

namespace Repro.Methods.Mla;

/// <summary>
/// MLA, Multimodal Learning with Alternating Unimodal Adaptation (Zhang et al., CVPR 2024): each modality's encoder is
/// trained alone, in turn, through ONE shared head fc_out = Linear(d, C) (§3.1, eq. 1-2); the head's weight gradient is
/// modified by a projector P so that learning one modality interferes less with the others (§3.2, eq. 3-5,
/// <see cref="MlaProjector"/>); at test time the unimodal predictions are fused with entropy weights (§3.3, eq. 6-8,
/// <see cref="TestTimeFusion"/>). Algorithm 1.
///
/// Options (defaults follow the paper; every way the official code or BalanceBenchmark differs is a named value):
/// <list type="bullet">
/// <item>modalities: the modalities to use, in training order (default: the dataset's). Two or more, all with the same feature size.</item>
/// <item>schedule = paper (default) | official.
///   paper: eq. 1, one modality per iteration, m_t = t mod M over the global step t; only that modality's encoder is
///   run, and only it and the head are updated.
///   official (main.py train_epoch 419-476, --gs_flag): per batch, for each modality in order (audio, visual(, text)):
///   loss, backward, HGM, optimizer step, zero_grad; after the batch every gradient is removed. The official code runs
///   one forward of all encoders at the start of the batch; here each encoder runs at its turn, which gives the same
///   numbers because an encoder has no gradient (so is not stepped) before its own turn in a batch.</item>
/// <item>hgm = paper (default) | official | released | balancebenchmark | off (<see cref="HgmMode"/>). hgm_alpha: a
///   constant alpha for the P update (default: the official schedule 0.1^(b/len + 1), the paper leaving alpha open).</item>
/// <item>fusion = entropy (default, eq. 7-8 per sample) | official-batch-entropy (main.py calculate_entropy: softmax over
///   the batch) | fixed (0.55/0.45; 0.35/0.25/0.4) | mean. Predict returns the chosen rule as the fused prediction and
///   every rule as variants "entropy", "batch-entropy", "fixed", "mean" (scored as acc@rule).</item>
/// <item>missing = skip (default: a sample without modality m is left out of m's step, the paper's "MLA does not
///   require paired data") | zero (the official code: the missing input is zeros and the sample stays in the loss).</item>
/// <item>torch18_optimizer (default false): the official runtime's zero_grad (PyTorch &lt; 2.0 turns gradients into zero
///   tensors instead of removing them), so an encoder that is idle in a modality step still moves by SGD momentum and
///   weight decay: with schedule=official the audio encoder gets one real and one momentum-only update per batch
///   (three modalities: audio 1 + 2, visual 1 + 1, text 1), the visual encoder one; with schedule=paper every idle encoder
///   drifts at every step. The same semantics apply whenever the trainer itself runs with GradReset.Zero (the parity
///   replay). Off, an idle encoder is never touched.</item>
/// </list>
/// Logged: loss_a, loss_v, loss_t, ... (each modality's CE, computed before its own step) and loss = 0.5*CE of the first
/// modality + 0.5*CE of the second (the official av_alpha = 0.5 average; a third modality is not in it, as in the
/// official log). With schedule=paper a step trains one modality: loss is logged on the steps of the first two
/// modalities as that step's CE, so its epoch mean estimates the same average.
/// </summary>
[Method("mla", "MLA: alternating unimodal learning, shared head with gradient modification, entropy test-time fusion")]
public sealed class Mla : Method
{
    readonly SharedHead _head;
    readonly List<Tensor> _projectorHistory = new();

    Mla(MultimodalModel model, MlaOptions options, SharedHead head, MlaProjector projector) : base(model, options)
    {
        _head = head;
        Projector = projector;
        Schedule = options.Schedule;
        Fusion = options.Fusion;
        Missing = options.Missing;
        Torch18Optimizer = options.Torch18Optimizer;
    }

    public MlaSchedule Schedule { get; }
    public MlaFusion Fusion { get; }
    public MissingPolicy Missing { get; }
    public bool Torch18Optimizer { get; }
    public MlaProjector Projector { get; }
    public SharedHead Head => _head;

    /// <summary>Keep a copy of P after every epoch (parity replays compare them with hgm/P_epoch&lt;k&gt;).</summary>
    public bool KeepProjectorHistory { get; set; }
    public IReadOnlyList<Tensor> ProjectorHistory => _projectorHistory;

    public static Mla Create(MlaOptions o, ModelParts parts)
    {
        var modalities = o.Modalities ?? parts.Modalities;
        foreach (var m in modalities)
            if (!parts.Modalities.Contains(m))
                throw new ArgumentException($"Method mla: modalities lists '{m}', which the dataset does not have ({string.Join(", ", parts.Modalities)}).");
        if (modalities.Count < 2 || modalities.Distinct().Count() != modalities.Count)
            throw new ArgumentException($"Method mla: modalities must name two or more distinct modalities (got {string.Join(", ", modalities)}).");

        var encoders = parts.Encoders(modalities);
        var dims = encoders.Select(e => ((Models.Encoders.IEncoder)e.Encoder).FeatureDim).Distinct().ToArray();
        if (dims.Length != 1)
            throw new ArgumentException($"Method mla: the shared head needs one feature size for every modality; the encoders give {string.Join(", ", dims)}.");
        var head = new SharedHead(modalities, dims[0], parts.NumClasses);
        return new Mla(new MultimodalModel(encoders, head), o, head, new MlaProjector(dims[0], o.Hgm, o.HgmAlpha));
    }

    public override StepResult TrainStep(Batch batch, StepContext ctx) =>
        Schedule == MlaSchedule.Official ? OfficialStep(batch, ctx) : PaperStep(batch, ctx);

    /// <summary>MLA eq. 1-3 / Algorithm 1 lines 2-6: the modality m_t = t mod M alone.</summary>
    StepResult PaperStep(Batch batch, StepContext ctx)
    {
        ClearGrads(ctx);
        var m = Modalities[(int)(ctx.GlobalStep % Modalities.Count)];
        var result = new StepResult();
        if (UnimodalLoss(m, batch) is not { } step) return result;
        var (features, loss) = step;
        loss.backward();
        Projector.BeforeUpdate(_head.Linear.weight!, features, ctx.BatchIndex, ctx.BatchesPerEpoch);
        ctx.Step();
        result.Add("loss_" + Data.Modalities.Tag(m), loss);
        if (m == Modalities[0] || m == Modalities[1]) result.Add("loss", loss);
        return result;
    }

    /// <summary>Official main.py train_epoch (--gs_flag) 419-476: every modality of the batch in turn, then all gradients removed.</summary>
    StepResult OfficialStep(Batch batch, StepContext ctx)
    {
        ClearGrads(ctx);
        var result = new StepResult();
        var ce = new Dictionary<string, double>();
        foreach (var m in Modalities)
        {
            if (UnimodalLoss(m, batch) is not { } step) continue;
            var (features, loss) = step;
            ce[m] = loss.item<float>();
            loss.backward();
            Projector.BeforeUpdate(_head.Linear.weight!, features, ctx.BatchIndex, ctx.BatchesPerEpoch);
            ctx.Step();
            ClearGrads(ctx);
            result.Add("loss_" + Data.Modalities.Tag(m), ce[m]);
        }
        StepContext.RemoveGrads(Model.parameters());
        if (ce.TryGetValue(Modalities[0], out var first) && ce.TryGetValue(Modalities[1], out var second))
            result.Add("loss", (float)(0.5f * (float)first + 0.5f * (float)second));
        return result;
    }

    /// <summary>optimizer.zero_grad() as the official runtime does it (zeros) under torch18_optimizer or GradReset.Zero; otherwise gradients are removed.</summary>
    void ClearGrads(StepContext ctx)
    {
        if (Torch18Optimizer || ctx.GradReset == GradReset.Zero) ctx.Optimizer.zero_grad();
        else Model.zero_grad(set_to_none: true);
    }

    /// <summary>f_m = h_m(x_m) and CE(g(f_m), y) over the rows that have m (missing=skip) or all rows (missing=zero); null when no row has m.</summary>
    (Tensor Features, Tensor Loss)? UnimodalLoss(string m, Batch batch)
    {
        var x = batch.Inputs[m];
        Tensor? rows = null;
        if (Missing == MissingPolicy.Skip && !batch.AllHave(m))
        {
            rows = batch.Available[m].nonzero().flatten();
            if (rows.shape[0] == 0) return null;
            x = x.index_select(0, rows);
        }
        var features = Model.Encoder(m).call(x);
        var logits = _head.Unimodal(m, new Dictionary<string, Tensor> { [m] = features });
        Tensor loss;
        if (rows is null) loss = TaskLoss(logits, batch);
        else if (batch.Targets is null) loss = nn.functional.cross_entropy(logits, batch.Labels.index_select(0, rows));
        else loss = nn.functional.binary_cross_entropy_with_logits(logits, batch.Targets.index_select(0, rows));
        return (features, loss);
    }

    /// <summary>MLA eq. 6-8 (and the other rules): fused by the chosen rule, every rule as a variant.</summary>
    public override Prediction Predict(Batch batch)
    {
        var features = Model.Encode(batch);
        var unimodal = Modalities.ToDictionary(m => m, m => _head.Unimodal(m, features));
        var logits = Modalities.Select(m => unimodal[m]).ToArray();
        var available = Modalities.All(batch.AllHave) ? null : Modalities.Select(m => batch.Available[m]).ToArray();
        var variants = TestTimeFusion.Rules.ToDictionary(TestTimeFusion.VariantName, r => TestTimeFusion.Fuse(r, logits, available));
        return new Prediction(variants[TestTimeFusion.VariantName(Fusion)], unimodal) { Variants = variants };
    }

    public override void OnEpochEnd(EpochContext ctx)
    {
        if (KeepProjectorHistory) _projectorHistory.Add(Projector.P.detach().clone().DetachFromDisposeScope());
    }

    public override Dictionary<string, Tensor> StateTensors() => new()
    {
        ["hgm/P"] = Projector.P,
        ["hgm/steps"] = tensor(new[] { Projector.Steps }),
    };

    public override void LoadStateTensors(IReadOnlyDictionary<string, Tensor> state)
    {
        if (state.TryGetValue("hgm/P", out var p))
            Projector.Load(p, state.TryGetValue("hgm/steps", out var s) ? s.item<long>() : 0);
    }
}
