using Repro.Data;
using Repro.Models;
using Repro.Models.Fusion;
using TorchSharp;
using static TorchSharp.torch;
using Repro.Training;

namespace Repro.Methods.Mla;

/// <summary>
/// MLA (Zhang et al., CVPR 2024), Algorithm 1: each encoder trained alone, in turn, through one shared head (eq. 1-2);
/// the head's weight gradient projected by <see cref="MlaProjector"/> (eq. 3-5); entropy-weighted test-time fusion
/// (<see cref="TestTimeFusion"/>, eq. 6-8). Options and the official code's differences: <see cref="MlaOptions"/>
/// (docs/official-code.md#mla-options). Lessons 02-05 teach the method.
/// <para>schedule=official runs each encoder at its own turn instead of one forward of all encoders per batch: the
/// numbers are the same, as an encoder has no gradient before its turn. Logged: loss_a, loss_v, loss_t (each modality's
/// CE before its step) and loss = the mean CE of the first two modalities (the official log weighs them 0.55 and 0.45, main.py av_alpha; with
/// schedule=paper each step logs its own modality's CE, so the epoch mean estimates the same).</para>
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
        if (o.Fusion == MlaFusion.Fixed && TestTimeFusion.TryFixedWeights(modalities) is null)
            throw new ArgumentException($"Method mla: {TestTimeFusion.FixedWeightsMissing(modalities)}");
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

    /// <summary>MLA eq. 6-8 (and the other rules): fused by the chosen rule, every rule that applies to the modalities as a variant (no "fixed" where the official code has no weights for them).</summary>
    public override Prediction Predict(Batch batch)
    {
        var features = Model.Encode(batch);
        var unimodal = Modalities.ToDictionary(m => m, m => _head.Unimodal(m, features));
        var logits = Modalities.Select(m => unimodal[m]).ToArray();
        var available = Modalities.All(batch.AllHave) ? null : Modalities.Select(m => batch.Available[m]).ToArray();
        var variants = TestTimeFusion.RulesFor(Modalities).ToDictionary(TestTimeFusion.VariantName, r => TestTimeFusion.Fuse(r, Modalities, logits, available));
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
