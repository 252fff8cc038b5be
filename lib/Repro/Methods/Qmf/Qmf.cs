using Repro.Data;
using Repro.Models;
using Repro.Models.Fusion;
using TorchSharp;
using static TorchSharp.torch;
using Repro.Training;

namespace Repro.Methods.Qmf;

/// <summary>
/// Quality-aware Multimodal Fusion (Zhang et al., ICML 2023). Late fusion with a Linear head per modality, fused
/// logits weighted by each modality's energy confidence conf_m = logsumexp(logits_m)/10 (detached in the fusion),
/// and a ranking regulariser that teaches conf_m to order samples like their historical losses: each sample's
/// per-sample CE is added to a float64 history (kept across epochs) BEFORE the ranking loss; sample i of the batch is
/// paired with sample i+1 (cyclic roll); with hn the history min-max normalised over all N training samples,
/// rank_m = mean(max(0, t*(c_i - c_{i+1}) - |t|*|hn_i - hn_{i+1}|)), t = sign(hn_i - hn_{i+1}).
/// <para>Options:</para>
/// <list type="bullet">
/// <item><c>variant</c> = auto (default) | mla-av | text-image. mla-av is MLA's audio-visual QMF (MLA main.py 239-268,
/// the QMF column of MLA Table 1): loss = CE(fused) + sum_m CE_m + 0.1 * sum_m rank_m. text-image is the authors' code
/// (QingyangZhang/QMF@fe6c4c6 train_qmf.py 168-271): loss = CE_t + CE_i + CE(fused) + rank_t + rank_i (weights 1), with
/// gradient accumulation. auto picks text-image when the dataset's modalities are text and image (the authors'
/// setting) and mla-av otherwise (the setting the seed papers ran on audio-visual data).</item>
/// <item><c>rank_weight</c>: the ranking loss weight (default 0.1 for mla-av, 1 for text-image).</item>
/// <item><c>gradient_accumulation_steps</c> k (text-image only; default 1): (loss/k) is back-propagated every batch and
/// the optimizer steps when a global batch counter s = 1, 2, ... is a multiple of k; gradients are also cleared at the
/// start of every epoch, dropping an unfinished group (train_qmf.py). The authors' default is 24 with batch 32; the
/// kit's default is 1 because its profiles set the batch size (an effective batch of 768 would leave the embedded
/// stand-in with about one update per epoch).</item>
/// <item><c>dynamic_fusion</c> (default true, the authors' --df): false fuses with weights 1 (plain late fusion; the
/// ranking loss still trains the confidences).</item>
/// </list>
/// Unlike the official text-image code, a final batch of one sample does not crash (it pairs with itself: no ranking
/// term). Multi-label data: refused (the confidence ranking is defined for single-label cross-entropy here).
/// Logged: loss (the objective; divided by k for text-image, as the official loop records it), loss_a, loss_v, ... (CE_m),
/// rank_a, rank_v, ... (the ranking losses).
/// </summary>
[Method("qmf", "Quality-aware multimodal fusion: energy-confidence late fusion with a loss-history ranking regulariser")]
[MethodAlias("qmf-av", "qmf", "variant=mla-av")]
[MethodAlias("qmf-ti", "qmf", "variant=text-image")]
public sealed class Qmf : Method
{
    readonly bool _textImage;
    readonly double _rankWeight;
    readonly int _accumulation;
    readonly Dictionary<string, QmfHistory> _history = new();

    Qmf(MultimodalModel model, QmfOptions options, bool textImage, double rankWeight, int accumulation) : base(model, options)
    {
        _textImage = textImage;
        _rankWeight = rankWeight;
        _accumulation = accumulation;
    }

    public QmfFusion QmfHead => (QmfFusion)Model.Head;
    /// <summary>The variant in force (auto resolved from the dataset).</summary>
    public QmfVariant Variant => _textImage ? QmfVariant.TextImage : QmfVariant.MlaAv;

    public static Qmf Create(QmfOptions o, ModelParts parts)
    {
        if (parts.MultiLabel)
            throw new ArgumentException("Method qmf: multi-label data is not supported (QMF's confidence ranking is defined on single-label cross-entropy here); use a single-label dataset.");
        if (parts.Modalities.Count < 2) throw new ArgumentException("Method qmf needs at least two modalities.");
        var variant = o.Variant;
        if (variant == QmfVariant.Auto)
            variant = parts.Modalities.Count == 2 && parts.Modalities.Contains(Data.Modalities.Text) && parts.Modalities.Contains(Data.Modalities.Image)
                ? QmfVariant.TextImage : QmfVariant.MlaAv;
        bool textImage = variant == QmfVariant.TextImage;
        var rankWeight = o.RankWeight ?? (textImage ? 1.0 : 0.1);
        var k = o.GradientAccumulationSteps;
        if (!textImage && k != 1) throw new ArgumentException("Method qmf: gradient_accumulation_steps applies to variant=text-image only.");
        var dynamic = o.DynamicFusion;
        var encoders = parts.Encoders();
        var d = ((Models.Encoders.IEncoder)encoders[0].Encoder).FeatureDim;
        return new Qmf(new MultimodalModel(encoders, new QmfFusion(parts.Modalities, d, parts.NumClasses, dynamic)), o, textImage, rankWeight, k);
    }

    /// <summary>Sizes the histories for a training set of <paramref name="n"/> samples (done by the first epoch hook).</summary>
    public void SetTrainingSetSize(int n)
    {
        if (_history.Count > 0 && _history.Values.First().Size == n) return;
        if (_history.Count > 0) throw new InvalidOperationException($"QMF: the training set changed size ({_history.Values.First().Size} -> {n}) during training.");
        foreach (var m in Modalities) _history[m] = new QmfHistory(n);
    }

    public QmfHistory History(string modality) => _history.TryGetValue(modality, out var h) ? h
        : throw new InvalidOperationException("QMF: the history is not sized yet (no epoch has started).");

    public override void OnEpochStart(EpochContext ctx) => SetTrainingSetSize(ctx.Train.Dataset.Count);

    public override StepResult TrainStep(Batch batch, StepContext ctx)
    {
        if (_history.Count == 0) throw new InvalidOperationException("QMF: the history is not sized; call OnEpochStart or SetTrainingSetSize first.");
        if (!_textImage || ctx.BatchIndex == 0) ctx.ZeroGrad();            // train_qmf.py: zero_grad at every epoch start

        var features = Model.Encode(batch);
        var logits = Modalities.ToDictionary(m => m, m => QmfHead.Unimodal(m, features));
        var fusedLoss = TaskLoss(QmfHead.FuseLogits(logits), batch);
        var result = new StepResult();
        var index = batch.Index.cpu().data<long>().ToArray();
        var paired = index.Skip(1).Append(index[0]).ToArray();              // torch.roll(idx, -1)

        Tensor? clf = null, rank = null;
        foreach (var m in Modalities)
        {
            var ce = TaskLoss(logits[m], batch);
            result.Add("loss_" + Data.Modalities.Tag(m), ce);
            clf = clf is null ? ce : clf + ce;
            using (no_grad())
            {
                var perSample = nn.functional.cross_entropy(logits[m], batch.Labels, reduction: nn.Reduction.None);
                _history[m].Add(index, perSample.detach().to_type(ScalarType.Float32).cpu().data<float>().ToArray());
            }
            var r = RankLoss(QmfFusion.Confidence(logits[m]), _history[m].TargetMargin(index, paired));
            result.Add("rank_" + Data.Modalities.Tag(m), r);
            rank = rank is null ? r : rank + r;
        }
        // MLA main.py 265: cml + clf + 0.1*crl; train_qmf.py: mean(clf_t + clf_i + joint + crl)
        var loss = _textImage ? clf! + fusedLoss + rank! * _rankWeight : fusedLoss + clf! + rank! * _rankWeight;
        if (_accumulation > 1) loss = loss / _accumulation;
        result.Add("loss", loss);
        loss.backward();
        if (!_textImage) { ctx.Step(); return result; }
        if ((ctx.GlobalStep + 1) % _accumulation == 0)
        {
            ctx.Step();
            ctx.ZeroGrad();
        }
        return result;
    }

    /// <summary>
    /// The official rank_loss: c2' = roll(c, -1) + margin / t' (t' = t with 0 replaced by 1), then
    /// MarginRankingLoss(margin 0)(c, c2', -t) = mean(max(0, t*(c - c2'))) = mean(max(0, t*(c1 - c2) - |t|*margin)).
    /// </summary>
    public static Tensor RankLoss(Tensor confidence, (float[] Target, float[] Margin) targetMargin)
    {
        using var scope = NewDisposeScope();
        var t = tensor(targetMargin.Target).to(confidence.device).reshape(-1, 1);
        var margin = tensor(targetMargin.Margin).to(confidence.device).reshape(-1, 1);
        var nonzero = where(t.eq(0), ones_like(t), t);
        var c2 = confidence.roll(-1, 0) + margin / nonzero;
        return (t * (confidence - c2)).clamp_min(0).mean().MoveToOuterDisposeScope();
    }

    public override Dictionary<string, Tensor> StateTensors()
    {
        var state = new Dictionary<string, Tensor>();
        foreach (var (m, h) in _history)
        {
            var (values, index) = h.ToTensors();
            state[$"qmf/history_{m}"] = values;
            state[$"qmf/history_index_{m}"] = index;
        }
        return state;
    }

    public override void LoadStateTensors(IReadOnlyDictionary<string, Tensor> state)
    {
        foreach (var m in Modalities)
        {
            if (!state.TryGetValue($"qmf/history_{m}", out var values) || !state.TryGetValue($"qmf/history_index_{m}", out var index)) continue;
            if (!_history.ContainsKey(m)) _history[m] = new QmfHistory((int)values.shape[0]);
            _history[m].Load(values, index);
        }
    }
}
