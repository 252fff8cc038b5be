using Repro.Data;
using Repro.Models;
using Repro.Models.Fusion;
using TorchSharp;
using static TorchSharp.torch;
using Repro.Training;

namespace Repro.Methods.Pmr;

/// <summary>
/// PMR, Prototypical Modal Rebalance (Fan et al., CVPR 2023), as the authors' code runs it:
/// fanyunfeng-bit/Modal-Imbalance-PMR@3615e48, main_Prototype_grad.py (train_epoch, calculate_prototype, EU_dist, main).
/// <para>
/// Each modality m has class prototypes P_m (C x d): the class means of its encoder features over the first
/// K = max(1, floor(batches/10)) batches of the training order, computed without gradient in evaluation mode before
/// the first epoch and after every epoch; after epoch index 0 the new means replace P, after every later epoch they are
/// blended, P = (1 - momentum_coef) * new + momentum_coef * P (calculate_prototype :383-441, main :532-557).
/// Each batch: sim_m = -||f_m - P_m[c]|| (B x C); inside the window modulation_starts &lt;= epoch &lt;= modulation_ends
/// (0-based), with s_m = sum_i softmax(sim_m)[i, y_i] and rho = s_a / s_v, the loss is
/// CE(out) + beta * CE(sim_a) + lam * CE(sim_v) with the hard switch (beta, lam) = (0, alpha) if rho &gt; 1,
/// (alpha, 0) if rho &lt; 1, (0, 0) if rho = 1 (train_epoch :152-178); outside the window CE(out) alone.
/// </para>
/// Options: <see cref="PmrOptions"/> (`repro methods pmr`; defaults = main_Prototype_grad.py:34-49). variant=balancebenchmark
/// (PMR_trainer.py:65, 241-250) recomputes at the start of every epoch and blends from epoch 1 on. entropy_weight is the
/// kit's reading of the paper's early entropy regularisation, absent from the released code:
/// loss -= mu * mean_i H(softmax(sim_d)[i]), d the modality ahead by rho, while epoch &lt;= entropy_ends. Three or more
/// modalities follow BalanceBenchmark (PMR_trainer.py:149-192): CE(out) alone, ratio_m = s_m / min_j s_j,
/// k_m = 1 - tanh(eta * ratio_m) where ratio_m &gt; 1, and every non-1-D gradient of encoder m becomes
/// grad * k_m - N(0, std(grad) + 1e-8).
/// Logged: loss (the trained loss), loss_a, loss_v, ... (the head's unimodal logits, not trained on; with film and
/// gated heads the fused logits, as the authors' train_epoch logs them),
/// loss_proto_a, loss_proto_v, ... (CE(sim_m), always computed).
/// <para>
/// Where the kit differs from the authors' code (it only guards against NaN): a class absent from the K batches would
/// make its prototype 0/0 = NaN; the kit then reads further batches until every class has been seen (identical
/// whenever every class occurs in the K batches); a class absent from the whole training set keeps a zero prototype.
/// A zero distance has an infinite sqrt gradient (NaN in the code); the kit clamps the squared distance at 1e-20,
/// which changes nothing else. The authors compute AVE and CG-MNIST prototypes on the validation loader; the kit always
/// uses the training loader (their CREMA-D path). Multi-label data: refused (prototypes and true-class scores need
/// one label per sample).
/// </para>
/// </summary>
[Method("pmr", "Prototypical Modal Rebalance (Fan et al., CVPR 2023): prototypical CE for the slower modality")]
public sealed class Pmr : Method, ITracedMethod
{
    readonly Dictionary<string, Tensor> _prototypes = new();
    readonly int _classes;

    Pmr(MultimodalModel model, PmrOptions o, int classes) : base(model, o)
    {
        _classes = classes;
        Variant = o.Variant;
        Alpha = o.Alpha;
        MomentumCoef = o.MomentumCoef;
        ModulationStarts = o.ModulationStarts;
        ModulationEnds = o.ModulationEnds;
        ProtoBatches = o.ProtoBatches;
        Eta = o.Eta;
        EntropyWeight = o.EntropyWeight;
        EntropyEnds = o.EntropyEnds;
        if (EntropyWeight != 0 && Modalities.Count != 2)
            throw new ArgumentException("Method pmr: option entropy_weight applies to two modalities only (the paper's dominant/slow pair).");
    }

    public BaselineVariant Variant { get; }
    public double Alpha { get; }
    public double MomentumCoef { get; }
    public int ModulationStarts { get; }
    public int ModulationEnds { get; }
    public int ProtoBatches { get; }
    public double Eta { get; }
    public double EntropyWeight { get; }
    public int EntropyEnds { get; }
    public MethodTrace? Trace { get; set; }

    /// <summary>The current prototypes of a modality (C x d), or null before the first prototype pass.</summary>
    public Tensor? Prototypes(string modality) => _prototypes.GetValueOrDefault(modality);

    public static Pmr Create(PmrOptions o, ModelParts parts)
    {
        if (parts.MultiLabel)
            throw new ArgumentException("Method pmr is undefined for multi-label data: class prototypes and true-class prototype scores need one label per sample.");
        if (parts.Modalities.Count < 2) throw new ArgumentException("Method pmr needs at least two modalities.");
        if (o.Fusion == FusionKind.Mmtm)
            throw new ArgumentException("Method pmr: fusion=mmtm is not supported; PMR's prototypes are class means of pooled encoder features, and MMTM's encoders give layer2 feature maps.");
        return new Pmr(parts.FusionModel(o), o, parts.NumClasses);
    }

    bool InWindow(int epoch) => ModulationStarts <= epoch && epoch <= ModulationEnds;

    public override void OnEpochStart(EpochContext ctx)
    {
        // main :539 (before the first epoch; no blending). A resumed run has its prototypes from the checkpoint.
        if (_prototypes.Count == 0) SetPrototypes(PrototypePass(ctx.Train, ctx.Epoch, ctx.Device), blend: false);
    }

    public override void OnEpochEnd(EpochContext ctx)
    {
        // main :557 with calculate_prototype :435-440: not blended after epoch index 0 (authors), blended after every
        // epoch when prototypes are recomputed at the next epoch's start (BalanceBenchmark PMR_trainer.py:65, 241-250).
        bool blend = Variant == BaselineVariant.BalanceBenchmark || ctx.Epoch >= 1;
        SetPrototypes(PrototypePass(ctx.Train, ctx.Epoch + 1, ctx.Device), blend);
    }

    void SetPrototypes(Dictionary<string, Tensor> fresh, bool blend)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var m in Modalities)
        {
            var next = fresh[m];
            if (blend && _prototypes.TryGetValue(m, out var old))
            {
                next = ((1 - MomentumCoef) * fresh[m] + MomentumCoef * old).DetachFromDisposeScope();
                fresh[m].Dispose();
            }
            if (_prototypes.TryGetValue(m, out var previous)) previous.Dispose();
            _prototypes[m] = next;
            Trace?.Add("proto_" + m, next);
        }
    }

    /// <summary>
    /// calculate_prototype (:397-433): class means of the encoder features over the first K batches of the training
    /// order of <paramref name="planEpoch"/>, in evaluation mode without gradient.
    /// </summary>
    internal Dictionary<string, Tensor> PrototypePass(DataLoader loader, int planEpoch, Device device)
    {
        int k = ProtoBatches > 0 ? ProtoBatches : Math.Max(1, loader.BatchCount / 10);
        var sums = new Dictionary<string, Tensor>();
        var counts = new long[_classes];
        bool wasTraining = Model.training;
        Model.eval();
        try
        {
            using var noGrad = no_grad();
            var plan = loader.Plan(planEpoch);
            for (int b = 0; b < plan.Count; b++)
            {
                if (b >= k && counts.All(c => c > 0)) break;
                using var scope = NewDisposeScope();
                var batch = loader.Load(plan[b], planEpoch).To(device);
                var features = Model.Encode(batch);
                foreach (var m in Modalities)
                {
                    if (!sums.TryGetValue(m, out var s))
                        sums[m] = s = zeros(_classes, features[m].shape[1], features[m].dtype, device).DetachFromDisposeScope();
                    s.index_add_(0, batch.Labels, features[m], 1);
                }
                foreach (var y in batch.Labels.cpu().data<long>()) counts[y]++;
            }
        }
        finally
        {
            if (wasTraining) Model.train();
        }
        using var scope2 = NewDisposeScope();
        var divisor = tensor(counts.Select(c => (float)Math.Max(c, 1)).ToArray(), device: device).unsqueeze(1);
        return sums.ToDictionary(kv => kv.Key, kv =>
        {
            var p = (kv.Value / divisor).DetachFromDisposeScope();
            kv.Value.Dispose();
            return p;
        });
    }

    /// <summary>EU_dist (:69-75) negated: sim[i, c] = -||f[i] - P[c]||_2, gradient to the features only.</summary>
    public static Tensor PrototypeLogits(Tensor features, Tensor prototypes) =>
        -(features.unsqueeze(1) - prototypes.unsqueeze(0)).pow(2).sum(-1).clamp_min(1e-20).sqrt();

    /// <summary>sum_i softmax(sim)[i, y_i], the prototype score of a batch (train_epoch :158-159).</summary>
    public static Tensor Score(Tensor logits, Tensor labels) =>
        nn.functional.softmax(logits, 1).gather(1, labels.unsqueeze(1)).sum();

    /// <summary>The 0/alpha switch of train_epoch :169-177: (beta, lam) for (audio, visual) given rho = s_a / s_v.</summary>
    public static (double Beta, double Lam) Coefficients(double rho, double alpha) =>
        rho > 1 ? (0, alpha) : rho < 1 ? (alpha, 0) : (0, 0);

    public override StepResult TrainStep(Batch batch, StepContext ctx)
    {
        if (_prototypes.Count == 0) throw new InvalidOperationException("PMR: no prototypes yet (OnEpochStart was not called).");
        ctx.ZeroGrad();
        var features = Model.Encode(batch);
        var output = Model.Head.Fuse(features);
        var ce = TaskLoss(output, batch);
        var result = new StepResult();
        var sims = Modalities.ToDictionary(m => m, m => PrototypeLogits(features[m], _prototypes[m]));
        var protoLoss = Modalities.ToDictionary(m => m, m => nn.functional.cross_entropy(sims[m], batch.Labels));
        var scores = Modalities.ToDictionary(m => m, m => Score(sims[m], batch.Labels).item<float>());
        bool window = InWindow(ctx.Epoch);

        Tensor loss = ce;
        double[] coefficients;
        if (Modalities.Count == 2)
        {
            string a = Modalities[0], v = Modalities[1];
            float rho = scores[a] / scores[v];
            var (beta, lam) = Coefficients(rho, Alpha);
            coefficients = [beta, lam];
            if (window)
            {
                loss = ce + beta * protoLoss[a] + lam * protoLoss[v];
                if (EntropyWeight != 0 && ctx.Epoch <= EntropyEnds && rho != 1)
                {
                    var p = nn.functional.softmax(sims[rho > 1 ? a : v], 1);
                    var entropy = -(p * p.clamp_min(1e-12).log()).sum(1).mean();
                    loss = loss - EntropyWeight * entropy;
                }
            }
            else coefficients = [0, 0];
            Trace?.Add("rho", rho);
        }
        else
        {
            float min = scores.Values.Min();
            coefficients = Modalities.Select(m => scores[m] / min > 1 ? 1 - Math.Tanh(Eta * (scores[m] / min)) : 1.0).ToArray();
            if (!window) coefficients = Modalities.Select(_ => 1.0).ToArray();
        }
        result.Add("loss", loss);
        using (no_grad())
        {
            var detached = features.ToDictionary(kv => kv.Key, kv => kv.Value.detach());
            // train_epoch :134-150: film and gated heads log the fused logits as both unimodal ones.
            var uni = Modalities.ToDictionary(m => m, m => Model.Head is FilmFusion or GatedFusion ? output.detach() : Model.Head.Unimodal(m, detached));
            foreach (var m in Modalities)
            {
                result.Add("loss_" + Data.Modalities.Tag(m), TaskLoss(uni[m], batch));
                result.Add("loss_proto_" + Data.Modalities.Tag(m), protoLoss[m]);
            }
            if (Trace is not null)
            {
                Trace.Add("coef", coefficients);
                Trace.Add("proto_loss", Modalities.Select(m => (double)protoLoss[m].item<float>()).ToArray());
                if (Modalities.Count == 2)
                    Trace.Add("ratio_a", Score(uni[Modalities[0]], batch.Labels).item<float>() / Score(uni[Modalities[1]], batch.Labels).item<float>());
            }
        }
        loss.backward();
        if (Modalities.Count > 2 && window) ModulateWithNoise(coefficients);
        ctx.Step();
        return result;
    }

    /// <summary>BalanceBenchmark PMR_trainer.py:180-192, for three or more modalities.</summary>
    void ModulateWithNoise(double[] coefficients)
    {
        using var noGrad = no_grad();
        for (int i = 0; i < Modalities.Count; i++)
            foreach (var p in Model.EncoderParameters(Modalities[i]))
            {
                using var g = p.grad;
                if (g is null || g.dim() == 1) continue;
                double std = g.std().item<float>();
                var noise = empty_like(g).normal_(0, std + 1e-8);
                g.mul_(coefficients[i]).sub_(noise);
            }
    }

    public override Dictionary<string, Tensor> StateTensors() =>
        _prototypes.ToDictionary(kv => "pmr/proto_" + kv.Key, kv => kv.Value);

    public override void LoadStateTensors(IReadOnlyDictionary<string, Tensor> state)
    {
        foreach (var m in Modalities)
            if (state.TryGetValue("pmr/proto_" + m, out var p))
            {
                if (_prototypes.TryGetValue(m, out var old)) old.Dispose();
                _prototypes[m] = p.detach().clone().DetachFromDisposeScope();
            }
    }
}
