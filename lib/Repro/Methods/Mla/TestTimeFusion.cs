using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Methods.Mla;

/// <summary>
/// Test-time fusion of unimodal logits (MLA §3.3 and the official main.py): a weighted sum of each modality's logits.
/// Rules:
/// <list type="bullet">
/// <item>"entropy": MLA eq. 7-8, per sample: e_m = -p_m^T log p_m with p_m = softmax over classes;
///   lambda_m = exp(max_j e_j - e_m) / sum_v exp(max_j e_j - e_v). Also BalanceBenchmark's validation fusion.</item>
/// <item>"batch-entropy" (option fusion=official-batch-entropy): the official --dynamic rule (main.py calculate_entropy / calculate_gating_weights):
///   softmax over the BATCH dimension of the B x C logits and -sum p log p over the whole matrix, one entropy per
///   modality per batch, then the same exp(max - e) weights, shared by every sample of the batch.</item>
/// <item>"fixed": the official fixed weights (main.py 648-651), by modality name as the official models order their outputs
///   (<see cref="FixedWeights"/>): audio 0.55 / visual 0.45; text 0.55 / image 0.45; audio 0.35 / visual (or image) 0.25 /
///   text 0.4. Other sets of modalities have no official weights: the rule is refused for them
///   (docs/official-code.md#mla-fusion).</item>
/// <item>"mean": equal weights.</item>
/// </list>
/// Missing modalities (docs/decisions.md#missing-modalities): a sample is fused from the modalities it has, with the
/// weights of those renormalised to sum to one; a batch-level entropy is taken over the rows that have the modality.
/// A sample with no modality gets zero logits.
/// </summary>
public static class TestTimeFusion
{
    public static readonly IReadOnlyList<MlaFusion> Rules = Enum.GetValues<MlaFusion>();

    /// <summary>The rules that apply to <paramref name="modalities"/>: all but "fixed" where the official code gives those modalities no weights.</summary>
    public static IReadOnlyList<MlaFusion> RulesFor(IReadOnlyList<string> modalities) =>
        Rules.Where(r => r != MlaFusion.Fixed || TryFixedWeights(modalities) is not null).ToArray();

    /// <summary>The name a rule's prediction is scored under ("acc@entropy", "acc@batch-entropy", "acc@fixed", "acc@mean").</summary>
    public static string VariantName(MlaFusion rule) => rule switch
    {
        MlaFusion.Entropy => "entropy",
        MlaFusion.OfficialBatchEntropy => "batch-entropy",
        MlaFusion.Fixed => "fixed",
        _ => "mean",
    };

    /// <summary>
    /// The official fixed weights by modality name. The official models return their outputs as (a, v) or (a, v, t) and
    /// main.py weights them 0.55 / 0.45 or 0.35 / 0.25 / 0.4 in that order; "a" is the audio encoder's output on
    /// audio-visual data, but the TEXT encoder's on image-text data (models/basic_model.py, M3AEClassifier).
    /// </summary>
    static readonly (string[] Names, double[] Weights)[] Official =
    [
        ([Data.Modalities.Audio, Data.Modalities.Visual], [0.55, 0.45]),
        ([Data.Modalities.Text, Data.Modalities.Image], [0.55, 0.45]),
        ([Data.Modalities.Audio, Data.Modalities.Visual, Data.Modalities.Text], [0.35, 0.25, 0.4]),
        ([Data.Modalities.Audio, Data.Modalities.Image, Data.Modalities.Text], [0.35, 0.25, 0.4]),
    ];

    /// <summary>The official fixed weights of <paramref name="modalities"/>, in their order; null where the official code assigns none.</summary>
    public static double[]? TryFixedWeights(IReadOnlyList<string> modalities)
    {
        foreach (var (names, weights) in Official)
            if (modalities.Count == names.Length && modalities.Distinct().Count() == names.Length && modalities.All(names.Contains))
                return modalities.Select(m => weights[Array.IndexOf(names, m)]).ToArray();
        return null;
    }

    /// <summary>The official fixed weights of <paramref name="modalities"/>, in their order (see <see cref="Official"/>).</summary>
    public static double[] FixedWeights(IReadOnlyList<string> modalities) =>
        TryFixedWeights(modalities) ?? throw new ArgumentException(FixedWeightsMissing(modalities));

    /// <summary>Why <paramref name="modalities"/> have no fixed weights, and what to do.</summary>
    public static string FixedWeightsMissing(IReadOnlyList<string> modalities) =>
        $"fusion=fixed: the official code has fixed weights only for audio+visual (audio 0.55, visual 0.45), " +
        $"image+text (text 0.55, image 0.45) and audio+visual+text or audio+image+text (0.35/0.25/0.4); " +
        $"the modalities {string.Join(", ", modalities)} have none. Choose another fusion rule (entropy, official-batch-entropy, mean).";

    /// <summary>Per-sample entropy of softmax over classes, MLA eq. 7: (B).</summary>
    public static Tensor SampleEntropy(Tensor logits)
    {
        using var scope = NewDisposeScope();
        var logp = nn.functional.log_softmax(logits, 1);
        return (-(logp.exp() * logp).sum(1)).MoveToOuterDisposeScope();
    }

    /// <summary>The official batch-level entropy: softmax over dim 0 of (B, C), -sum p log p over all entries (a scalar).</summary>
    public static Tensor BatchEntropy(Tensor logits)
    {
        using var scope = NewDisposeScope();
        var logp = nn.functional.log_softmax(logits, 0);
        return (-(logp.exp() * logp).sum()).MoveToOuterDisposeScope();
    }

    /// <summary>MLA eq. 8 per sample over the available modalities: (B, M), rows summing to 1 (0 where a sample has none).</summary>
    public static Tensor EntropyWeights(IReadOnlyList<Tensor> logits, IReadOnlyList<Tensor>? available = null)
    {
        using var scope = NewDisposeScope();
        var h = stack(logits.Select(SampleEntropy).ToArray(), 1);
        var avail = Availability(logits, available);
        var masked = where(avail, h, full_like(h, double.NegativeInfinity));
        var max = masked.max(1, keepdim: true).values;
        max = where(max.isinf(), zeros_like(max), max);
        var e = where(avail, (max - h).exp(), zeros_like(h));
        return Normalise(e).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The official batch-level weights: (M), one weight per modality for the whole batch (rows without a modality are
    /// left out of its entropy; a modality no row has gets weight 0).
    /// </summary>
    public static Tensor BatchEntropyWeights(IReadOnlyList<Tensor> logits, IReadOnlyList<Tensor>? available = null)
    {
        using var scope = NewDisposeScope();
        var avail = Availability(logits, available);
        var h = new double[logits.Count];
        var present = new bool[logits.Count];
        for (int m = 0; m < logits.Count; m++)
        {
            var rows = avail[TensorIndex.Colon, m].nonzero().flatten();
            present[m] = rows.shape[0] > 0;
            if (present[m]) h[m] = BatchEntropy(logits[m].index_select(0, rows)).item<float>();
        }
        double max = Enumerable.Range(0, h.Length).Where(m => present[m]).Select(m => h[m]).DefaultIfEmpty(0).Max();
        var e = h.Select((v, m) => present[m] ? Math.Exp(max - v) : 0.0).ToArray();
        double sum = e.Sum();
        return tensor(e.Select(v => (float)(sum > 0 ? v / sum : 0)).ToArray()).to(logits[0].device).MoveToOuterDisposeScope();
    }

    /// <summary>Modality weights (M) shared by a batch, as per-sample weights (B, M) renormalised over each sample's available modalities.</summary>
    public static Tensor PerSample(Tensor weights, IReadOnlyList<Tensor> logits, IReadOnlyList<Tensor>? available = null)
    {
        using var scope = NewDisposeScope();
        var avail = Availability(logits, available);
        var w = weights.to_type(logits[0].dtype).reshape(1, -1).expand(avail.shape[0], -1);
        return Normalise(where(avail, w, zeros_like(w))).MoveToOuterDisposeScope();
    }

    /// <summary>sum_m w[:, m] * logits_m: (B, C).</summary>
    public static Tensor Combine(IReadOnlyList<Tensor> logits, Tensor weights)
    {
        using var scope = NewDisposeScope();
        Tensor? fused = null;
        for (int m = 0; m < logits.Count; m++)
        {
            var term = weights[TensorIndex.Colon, m].unsqueeze(1) * logits[m];
            fused = fused is null ? term : fused + term;
        }
        return fused!.MoveToOuterDisposeScope();
    }

    /// <summary>Fused logits (B, C) by a rule; <paramref name="modalities"/> names the logits, in order (the fixed weights go by name).</summary>
    public static Tensor Fuse(MlaFusion rule, IReadOnlyList<string> modalities, IReadOnlyList<Tensor> logits, IReadOnlyList<Tensor>? available = null)
    {
        if (logits.Count == 0) throw new ArgumentException("Test-time fusion needs at least one modality's logits.");
        if (modalities.Count != logits.Count) throw new ArgumentException($"{modalities.Count} modality names for {logits.Count} modalities' logits.");
        using var scope = NewDisposeScope();
        var weights = rule switch
        {
            MlaFusion.Entropy => EntropyWeights(logits, available),
            MlaFusion.OfficialBatchEntropy => PerSample(BatchEntropyWeights(logits, available), logits, available),
            MlaFusion.Fixed => PerSample(tensor(FixedWeights(modalities)), logits, available),
            _ => PerSample(ones(logits.Count), logits, available),
        };
        return Combine(logits, weights).MoveToOuterDisposeScope();
    }

    /// <summary>(B, M) bool: which sample has which modality (all true when not given).</summary>
    static Tensor Availability(IReadOnlyList<Tensor> logits, IReadOnlyList<Tensor>? available)
    {
        long b = logits[0].shape[0];
        if (available is null) return ones(b, logits.Count, ScalarType.Bool, logits[0].device);
        if (available.Count != logits.Count) throw new ArgumentException($"{available.Count} availability masks for {logits.Count} modalities.");
        return stack(available.Select(a => a.to_type(ScalarType.Bool).to(logits[0].device)).ToArray(), 1);
    }

    static Tensor Normalise(Tensor e)
    {
        var sum = e.sum(1, keepdim: true);
        return e / where(sum > 0, sum, ones_like(sum));
    }
}
