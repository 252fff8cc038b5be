using Repro.Data;
using Repro.Methods;
using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Methods.U2a;

/// <summary>One class of <see cref="MaskTokenAnalysis"/> (accuracies, %) or <see cref="MaskTokenF1Analysis"/> (F1, %) with a modality removed, and the estimate error.</summary>
public sealed record MaskTokenClassScores(string Class, int Count, double Complete,
    IReadOnlyDictionary<string, double> WithMaskToken, IReadOnlyDictionary<string, double> WithoutMaskToken,
    IReadOnlyDictionary<string, double> EstimateMse);

/// <summary>
/// U2A's analyses (Figures 3 and 4) on a single-label test split, per class: accuracy with every sample complete; with
/// modality m removed from every sample (input zeroed), once with the other modality's mask token in m's place (U2A
/// eq. 4) and once with the placeholder input's CLS (no mask token); and the mean squared error between the mask-token
/// estimate of m (MT^ of the other modality) and m's true CLS^ output, over complete samples (what eq. 6 trains).
/// </summary>
public static class MaskTokenAnalysis
{
    public static IReadOnlyList<MaskTokenClassScores> PerClass(U2a method, DataLoader loader, Device? device = null)
    {
        var info = loader.Dataset.Info;
        if (info.MultiLabel) throw new ArgumentException($"{info.Name}: the per-class analysis reads single-label accuracy; the dataset is multi-label (MaskTokenF1Analysis reads per-class F1).");
        var ms = method.Modalities;
        int k = info.NumClasses;
        var count = new long[k];
        var complete = new long[k];
        var mt = ms.ToDictionary(m => m, _ => new long[k]);
        var noMt = ms.ToDictionary(m => m, _ => new long[k]);
        var mse = ms.ToDictionary(m => m, _ => new double[k]);
        var pairs = new long[k];
        method.Model.eval();
        using var noGrad = no_grad();
        foreach (var indices in loader.Plan(0))
        {
            using var scope = NewDisposeScope();
            var batch = loader.Load(indices, 0).To(device ?? CPU);
            var labels = batch.Labels.cpu().data<long>().ToArray();
            foreach (var l in labels) count[l]++;
            Tally(complete, method.Predict(batch).Fused, labels);
            var outputs = method.Outputs(batch);
            var both = batch.Available[ms[0]].logical_and(batch.Available[ms[1]]).cpu().data<bool>().ToArray();
            for (int i = 0; i < labels.Length; i++) if (both[i]) pairs[labels[i]]++;
            foreach (var m in ms)
            {
                var other = ms.Single(x => x != m);
                var without = ModalityDropout.Apply(batch, new Dictionary<string, Tensor> { [m] = zeros_like(batch.Available[m]) });
                var p = method.Predict(without);
                Tally(mt[m], p.Fused, labels);
                Tally(noMt[m], p.Variants["without-mask-token"], labels);
                // U2A eq. 6's target: the other modality's mask-token output against m's CLS output
                var err = (outputs[other].select(1, 1) - outputs[m].select(1, 0)).pow(2).mean([1]).cpu().data<float>().ToArray();
                for (int i = 0; i < labels.Length; i++) if (both[i]) mse[m][labels[i]] += err[i];
            }
        }
        double Pct(long hit, long n) => n == 0 ? double.NaN : 100.0 * hit / n;
        return Enumerable.Range(0, k).Select(c => new MaskTokenClassScores(info.ClassNames[c], (int)count[c], Pct(complete[c], count[c]),
            ms.ToDictionary(m => m, m => Pct(mt[m][c], count[c])), ms.ToDictionary(m => m, m => Pct(noMt[m][c], count[c])),
            ms.ToDictionary(m => m, m => pairs[c] == 0 ? double.NaN : mse[m][c] / pairs[c]))).ToArray();
    }

    static void Tally(long[] hits, Tensor logits, long[] labels)
    {
        var predicted = logits.argmax(1).cpu().data<long>().ToArray();
        for (int i = 0; i < labels.Length; i++) if (predicted[i] == labels[i]) hits[labels[i]]++;
    }
}
