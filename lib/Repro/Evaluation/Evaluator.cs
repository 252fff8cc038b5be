using Repro.Data;
using Repro.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Evaluation;

/// <summary>
/// Runs a method's predictions over a loader (eval mode, no gradients, one dispose scope per batch) and scores them:
/// "acc" for the fused prediction, "acc_{modality}" for each modality's own logits, "acc@{variant}" for other fused
/// predictions a method offers, "f1_weighted" (fused, support-weighted F1), "loss" (fused cross-entropy), "n".
/// Modalities a method gives no unimodal logits for get no "acc_{modality}". On multi-label data (batches with targets) the
/// scores are <see cref="Metrics.MultiLabelF1"/>'s "f1_micro", "f1_macro", "f1_weighted", "f1_samples" for the fused
/// prediction, "f1_macro_{modality}" per modality and "f1_macro@{variant}"; "loss" is the mean binary cross-entropy.
/// </summary>
public static class Evaluator
{
    /// <param name="dataWait">Receives the seconds spent waiting for batches (prepared on the data thread meanwhile).</param>
    public static Dictionary<string, double> Evaluate(ITrainable method, DataLoader loader, int epoch = 0, Device? device = null, Action<double>? dataWait = null)
    {
        var model = method.Model;
        bool wasTraining = model.training;
        model.eval();
        var fused = new List<long>();
        var uni = method.Modalities.ToDictionary(m => m, _ => new List<long>());
        var variants = new Dictionary<string, List<long>>();
        var labels = new List<long>();
        var targets = new List<float>();
        var fusedBits = new List<bool>();
        var uniBits = method.Modalities.ToDictionary(m => m, _ => new List<bool>());
        var variantBits = new Dictionary<string, List<bool>>();
        int classes = 0, logitClasses = 0;
        double lossSum = 0;
        try
        {
            using var noGrad = no_grad();
            using var prefetch = loader.Prefetch(loader.Plan(epoch), epoch);
            for (int b = 0; b < prefetch.Count; b++)
            {
                using var scope = NewDisposeScope();
                var batch = prefetch.Next();
                if (device is not null) batch = batch.To(device);
                var p = method.Predict(batch);
                if (batch.Targets is not null)
                {
                    classes = (int)batch.Targets.shape[1];
                    lossSum += nn.functional.binary_cross_entropy_with_logits(p.Fused, batch.Targets, reduction: nn.Reduction.Sum).item<float>() / classes;
                    fusedBits.AddRange(Metrics.Threshold(p.Fused));
                    foreach (var (m, logits) in p.Unimodal) uniBits[m].AddRange(Metrics.Threshold(logits));
                    foreach (var (v, logits) in p.Variants)
                    {
                        if (!variantBits.TryGetValue(v, out var list)) variantBits[v] = list = new();
                        list.AddRange(Metrics.Threshold(logits));
                    }
                    targets.AddRange(batch.Targets.cpu().contiguous().data<float>().ToArray());
                    labels.AddRange(batch.Labels.cpu().data<long>().ToArray());
                    continue;
                }
                logitClasses = (int)p.Fused.shape[1];
                lossSum += nn.functional.cross_entropy(p.Fused, batch.Labels, reduction: nn.Reduction.Sum).item<float>();
                fused.AddRange(Metrics.Argmax(p.Fused));
                foreach (var (m, logits) in p.Unimodal) uni[m].AddRange(Metrics.Argmax(logits));
                foreach (var (v, logits) in p.Variants)
                {
                    if (!variants.TryGetValue(v, out var list)) variants[v] = list = new();
                    list.AddRange(Metrics.Argmax(logits));
                }
                labels.AddRange(batch.Labels.cpu().data<long>().ToArray());
            }
            dataWait?.Invoke(prefetch.WaitSeconds);
        }
        finally
        {
            if (wasTraining) model.train();
        }
        var y = labels.ToArray();
        if (classes > 0)
        {
            var t = targets.ToArray();
            var ml = Metrics.MultiLabelF1(fusedBits.ToArray(), t, classes);
            ml["loss"] = lossSum / y.Length;
            ml["n"] = y.Length;
            foreach (var (m, bits) in uniBits) ml["f1_macro_" + m] = Metrics.MultiLabelF1(bits.ToArray(), t, classes)["f1_macro"];
            foreach (var (v, bits) in variantBits) ml["f1_macro@" + v] = Metrics.MultiLabelF1(bits.ToArray(), t, classes)["f1_macro"];
            return ml;
        }
        var result = new Dictionary<string, double>
        {
            ["acc"] = Metrics.Accuracy(fused.ToArray(), y),
            ["f1_weighted"] = Metrics.WeightedF1(fused.ToArray(), y, logitClasses),
            ["loss"] = lossSum / y.Length,
            ["n"] = y.Length,
        };
        foreach (var (m, preds) in uni)
            if (preds.Count > 0) result["acc_" + m] = Metrics.Accuracy(preds.ToArray(), y);
        foreach (var (v, preds) in variants) result["acc@" + v] = Metrics.Accuracy(preds.ToArray(), y);
        return result;
    }
}
