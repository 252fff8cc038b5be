using static TorchSharp.torch;

namespace Repro.Evaluation;

/// <summary>Classification metrics on accumulated predictions.</summary>
public static class Metrics
{
    /// <summary>Overall (micro) accuracy in percent, as the papers report it.</summary>
    public static double Accuracy(long[] predicted, long[] labels)
    {
        if (predicted.Length != labels.Length) throw new ArgumentException("Predictions and labels differ in length.");
        if (labels.Length == 0) throw new ArgumentException("Accuracy of an empty set is undefined.");
        long correct = 0;
        for (int i = 0; i < labels.Length; i++) if (predicted[i] == labels[i]) correct++;
        return 100.0 * correct / labels.Length;
    }

    /// <summary>
    /// Single-label F1 per class weighted by the class's support (scikit-learn f1_score(average='weighted'), what GCNet's
    /// IEMOCAP protocol reports), in percent; a class never predicted and never true has F1 0 and weight 0.
    /// </summary>
    public static double WeightedF1(long[] predicted, long[] labels, int classes)
    {
        if (predicted.Length != labels.Length) throw new ArgumentException("Predictions and labels differ in length.");
        if (labels.Length == 0) throw new ArgumentException("F1 of an empty set is undefined.");
        var tp = new long[classes]; var fp = new long[classes]; var fn = new long[classes];
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] < 0 || labels[i] >= classes || predicted[i] < 0 || predicted[i] >= classes)
                throw new ArgumentException($"Label {labels[i]} or prediction {predicted[i]} at {i} is outside 0..{classes - 1}.");
            if (predicted[i] == labels[i]) tp[labels[i]]++;
            else { fp[predicted[i]]++; fn[labels[i]]++; }
        }
        double sum = 0;
        for (int c = 0; c < classes; c++)
        {
            long den = 2 * tp[c] + fp[c] + fn[c];
            if (den > 0) sum += 2.0 * tp[c] / den * (tp[c] + fn[c]);
        }
        return 100 * sum / labels.Length;
    }

    public static long[] Argmax(Tensor logits) => logits.argmax(1).data<long>().ToArray();

    /// <summary>Multi-label decisions: sigmoid(logit) >= 0.5, i.e. logit >= 0 (MAP, torchmetrics threshold 0.5).</summary>
    public static bool[] Threshold(Tensor logits) => logits.ge(0).flatten().data<bool>().ToArray();

    /// <summary>
    /// Multi-label F1 as MM-IMDb's protocol defines it (docs/datasets.md#mmimdb-metric; MAP with torchmetrics 0.9.3), in percent, from
    /// row-major (N x C) decisions and 0/1 targets: "f1_micro" = 2TP / (2TP + FP + FN) over all entries;
    /// "f1_macro" = unweighted mean of per-class F1 over the classes with TP + FP + FN &gt; 0 (others dropped);
    /// "f1_weighted" = per-class F1 weighted by support (TP + FN); "f1_samples" = mean over samples of the per-sample
    /// F1, a sample with no predicted and no true label scoring 0 (0/0 -> 0).
    /// </summary>
    public static Dictionary<string, double> MultiLabelF1(bool[] predicted, float[] targets, int classes)
    {
        if (predicted.Length != targets.Length) throw new ArgumentException("Predictions and targets differ in length.");
        if (classes <= 0 || targets.Length % classes != 0) throw new ArgumentException($"{targets.Length} targets are not rows of {classes} classes.");
        int n = targets.Length / classes;
        if (n == 0) throw new ArgumentException("F1 of an empty set is undefined.");
        var tp = new long[classes];
        var fp = new long[classes];
        var fn = new long[classes];
        double samples = 0;
        for (int i = 0; i < n; i++)
        {
            long stp = 0, sfp = 0, sfn = 0;
            for (int c = 0; c < classes; c++)
            {
                bool p = predicted[i * classes + c], t = targets[i * classes + c] >= 0.5f;
                if (p && t) { tp[c]++; stp++; }
                else if (p) { fp[c]++; sfp++; }
                else if (t) { fn[c]++; sfn++; }
            }
            long den = 2 * stp + sfp + sfn;
            samples += den == 0 ? 0 : 2.0 * stp / den;
        }
        static double F1(long tp, long fp, long fn) => 2 * tp + fp + fn == 0 ? 0 : 2.0 * tp / (2 * tp + fp + fn);
        long TP = tp.Sum(), FP = fp.Sum(), FN = fn.Sum();
        var present = Enumerable.Range(0, classes).Where(c => tp[c] + fp[c] + fn[c] > 0).ToArray();
        double macro = present.Length == 0 ? 0 : present.Average(c => F1(tp[c], fp[c], fn[c]));
        long support = Enumerable.Range(0, classes).Sum(c => tp[c] + fn[c]);
        double weighted = support == 0 ? 0 : Enumerable.Range(0, classes).Sum(c => F1(tp[c], fp[c], fn[c]) * (tp[c] + fn[c])) / support;
        return new Dictionary<string, double>
        {
            ["f1_micro"] = 100 * F1(TP, FP, FN),
            ["f1_macro"] = 100 * macro,
            ["f1_weighted"] = 100 * weighted,
            ["f1_samples"] = 100 * samples / n,
        };
    }
}
