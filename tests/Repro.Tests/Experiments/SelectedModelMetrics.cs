using Repro.Data;
using Repro.Experiments;
using static TorchSharp.torch;

namespace Repro.Tests.Experiments;

/// <summary>
/// A finished run's test metric recounted from its selected model's predictions on the whole test split, independently
/// of the evaluator: acc = 100 * (argmax = label) / n; f1_weighted = 100 * sum_c F1_c * support_c / n; MM-IMDb's
/// f1_macro = 100 * the mean per-class F1 (logit >= 0 decides) over the classes with TP + FP + FN &gt; 0.
/// </summary>
public static class SelectedModelMetrics
{
    public static double Recount(ExperimentRunner runner, RunSpec spec, string metric)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var method = runner.Selected(spec);
        var loader = new DataLoader(runner.Dataset(spec.Dataset, spec.DataRoot, spec.Profile).Test, 16, false, SampleMode.Eval, 0);
        var fused = new List<Tensor>();
        var truth = new List<Tensor>();
        foreach (var indices in loader.Plan(0))
        {
            var batch = loader.Load(indices, 0);
            fused.Add(method.Predict(batch).Fused);
            truth.Add(batch.Targets ?? batch.Labels);
        }
        var logits = cat(fused.ToArray(), 0);
        var y = cat(truth.ToArray(), 0);
        if (metric == "acc") return 100.0 * logits.argmax(1).eq(y).sum().item<long>() / y.shape[0];
        var (p, t) = metric == "f1_macro"
            ? (logits.ge(0), y.ge(0.5))
            : (nn.functional.one_hot(logits.argmax(1), logits.shape[1]).to_type(ScalarType.Bool), nn.functional.one_hot(y, logits.shape[1]).to_type(ScalarType.Bool));
        var tp = p.logical_and(t).sum(dim: 0).to_type(ScalarType.Float64);
        var fp = p.logical_and(t.logical_not()).sum(dim: 0).to_type(ScalarType.Float64);
        var fn = p.logical_not().logical_and(t).sum(dim: 0).to_type(ScalarType.Float64);
        var den = 2 * tp + fp + fn;
        var f1 = where(den.gt(0), 2 * tp / den.clamp_min(1), zeros_like(den));
        return metric switch
        {
            "f1_macro" => 100.0 * f1.masked_select(den.gt(0)).mean().item<double>(),
            "f1_weighted" => 100.0 * (f1 * (tp + fn)).sum().item<double>() / y.shape[0],
            _ => throw new ArgumentException($"no recount for metric '{metric}'"),
        };
    }
}
