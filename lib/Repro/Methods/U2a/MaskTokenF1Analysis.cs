using Repro.Data;
using Repro.Evaluation;
using Repro.Methods;
using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Methods.U2a;

/// <summary>
/// U2A's per-class analyses (Figures 3-5) on a multi-label test split, MM-IMDb's case, where the paper draws them: the
/// same readings as <see cref="MaskTokenAnalysis"/> with per-class F1 (%) in place of accuracy. Per class c,
/// F1_c = 2 TP_c / (2 TP_c + FP_c + FN_c) over the thresholded decisions (<see cref="Metrics.Threshold"/>), NaN where
/// the class has no positive and no predicted sample; the unweighted mean of the defined F1_c is the run's F1-Macro
/// (<see cref="Metrics.MultiLabelF1"/>). <see cref="MaskTokenClassScores.Count"/> is the class's support (its positive
/// samples); <see cref="MaskTokenClassScores.EstimateMse"/> averages eq. 6's error over the complete samples that carry
/// the class.
/// </summary>
public static class MaskTokenF1Analysis
{
    public static IReadOnlyList<MaskTokenClassScores> PerClass(U2a method, DataLoader loader, Device? device = null)
    {
        var info = loader.Dataset.Info;
        if (!info.MultiLabel)
            throw new ArgumentException($"{info.Name}: single-label data; MaskTokenAnalysis.PerClass reads its per-class accuracy.");
        var ms = method.Modalities;
        int k = info.NumClasses;
        var complete = new F1Counts(k);
        var mt = ms.ToDictionary(m => m, _ => new F1Counts(k));
        var noMt = ms.ToDictionary(m => m, _ => new F1Counts(k));
        var support = new long[k];
        var pairs = new long[k];
        var mse = ms.ToDictionary(m => m, _ => new double[k]);
        method.Model.eval();
        using var noGrad = no_grad();
        foreach (var indices in loader.Plan(0))
        {
            using var scope = NewDisposeScope();
            var batch = loader.Load(indices, 0).To(device ?? CPU);
            var targets = batch.Targets!.ge(0.5).cpu();
            F1Counts.Accumulate(support, targets);
            complete.Add(method.Predict(batch).Fused, targets);
            var outputs = method.Outputs(batch);
            var both = batch.Available[ms[0]].logical_and(batch.Available[ms[1]]).cpu();
            var carried = targets.logical_and(both.unsqueeze(1)).to_type(ScalarType.Float64);
            F1Counts.Accumulate(pairs, carried.gt(0));
            foreach (var m in ms)
            {
                var other = ms.Single(x => x != m);
                var without = ModalityDropout.Apply(batch, new Dictionary<string, Tensor> { [m] = zeros_like(batch.Available[m]) });
                var p = method.Predict(without);
                mt[m].Add(p.Fused, targets);
                noMt[m].Add(p.Variants["without-mask-token"], targets);
                // U2A eq. 6's term: the other modality's mask-token output against m's CLS output, per sample
                var err = (outputs[other].select(1, 1) - outputs[m].select(1, 0)).pow(2).mean([1]).cpu().to_type(ScalarType.Float64);
                var perClass = (carried * err.unsqueeze(1)).sum(0L).data<double>().ToArray();
                for (int c = 0; c < k; c++) mse[m][c] += perClass[c];
            }
        }
        return Enumerable.Range(0, k).Select(c => new MaskTokenClassScores(info.ClassNames[c], (int)support[c], complete.F1(c),
            ms.ToDictionary(m => m, m => mt[m].F1(c)), ms.ToDictionary(m => m, m => noMt[m].F1(c)),
            ms.ToDictionary(m => m, m => pairs[c] == 0 ? double.NaN : mse[m][c] / pairs[c]))).ToArray();
    }

    /// <summary>Per-class true positives, false positives and false negatives of thresholded multi-label logits.</summary>
    sealed class F1Counts(int classes)
    {
        readonly long[] _tp = new long[classes], _fp = new long[classes], _fn = new long[classes];

        public void Add(Tensor logits, Tensor targets)
        {
            var predicted = logits.ge(0).cpu();
            Accumulate(_tp, predicted.logical_and(targets));
            Accumulate(_fp, predicted.logical_and(targets.logical_not()));
            Accumulate(_fn, predicted.logical_not().logical_and(targets));
        }

        public double F1(int c) => 2 * _tp[c] + _fp[c] + _fn[c] == 0 ? double.NaN : 100.0 * 2 * _tp[c] / (2 * _tp[c] + _fp[c] + _fn[c]);

        /// <summary>Adds the column counts of a (B, C) bool tensor.</summary>
        public static void Accumulate(long[] totals, Tensor flags)
        {
            var counts = flags.to_type(ScalarType.Int64).sum(0L).data<long>().ToArray();
            for (int c = 0; c < totals.Length; c++) totals[c] += counts[c];
        }
    }
}
