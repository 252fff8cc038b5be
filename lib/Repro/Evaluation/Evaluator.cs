using Repro.Data;
using Repro.Methods;
using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Evaluation;

/// <summary>
/// Runs a method's predictions over a loader (eval mode, no gradients, one dispose scope per batch) and scores them:
/// "acc" for the fused prediction, "acc_{modality}" for each modality's own logits, "acc@{variant}" for other fused
/// predictions a method offers, "loss" (fused cross-entropy), "n".
/// </summary>
public static class Evaluator
{
    public static Dictionary<string, double> Evaluate(Method method, DataLoader loader, int epoch = 0, Device? device = null)
    {
        var model = method.Model;
        bool wasTraining = model.training;
        model.eval();
        var fused = new List<long>();
        var uni = method.Modalities.ToDictionary(m => m, _ => new List<long>());
        var variants = new Dictionary<string, List<long>>();
        var labels = new List<long>();
        double lossSum = 0;
        try
        {
            using var noGrad = no_grad();
            foreach (var indices in loader.Plan(epoch))
            {
                using var scope = NewDisposeScope();
                var batch = loader.Load(indices, epoch);
                if (device is not null) batch = batch.To(device);
                var p = method.Predict(batch);
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
        }
        finally
        {
            if (wasTraining) model.train();
        }
        var y = labels.ToArray();
        var result = new Dictionary<string, double>
        {
            ["acc"] = Metrics.Accuracy(fused.ToArray(), y),
            ["loss"] = lossSum / y.Length,
            ["n"] = y.Length,
        };
        foreach (var (m, preds) in uni) result["acc_" + m] = Metrics.Accuracy(preds.ToArray(), y);
        foreach (var (v, preds) in variants) result["acc@" + v] = Metrics.Accuracy(preds.ToArray(), y);
        return result;
    }
}
