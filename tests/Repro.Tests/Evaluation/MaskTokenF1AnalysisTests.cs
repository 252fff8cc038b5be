using Repro.Data;
using Repro.Evaluation;
using Repro.Methods.U2a;
using Repro.Methods;
using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Tests.Evaluation;

/// <summary>U2A's per-class analyses on multi-label data: per-class F1 whose mean is the run's F1-Macro, and eq. 6's error per class.</summary>
[Collection(Repro.Tests.Training.TrainingCollection.Name)]
public class MaskTokenF1AnalysisTests
{
    const string I = Modalities.Image, T = Modalities.Text;
    const int N = 12, Classes = 3;

    /// <summary>Twelve image-text samples with multi-hot targets; sample 5 has no text (it is left out of the estimate error).</summary>
    sealed class TinyMultiLabel : IMultimodalDataset
    {
        readonly Tensor _images, _texts;
        readonly float[][] _targets;

        public TinyMultiLabel()
        {
            var g = new Generator(21);
            _images = randn([N, 3, 8, 8], generator: g).DetachFromDisposeScope();
            _texts = randint(4, 30, [N, 6], generator: g, dtype: ScalarType.Int64).DetachFromDisposeScope();
            _targets = Enumerable.Range(0, N).Select(i => new float[] { i % 2, i % 3 == 0 ? 1 : 0, i % 4 == 1 ? 1 : 0 }).ToArray();
        }

        public DatasetInfo Info { get; } = new("tiny-multilabel", [new ModalitySpec(I, [3, 8, 8]), new ModalitySpec(T, [6], ScalarType.Int64)],
            ["a", "b", "c"], MultiLabel: true);
        public int Count => N;
        public int LabelOf(int index) => -1;
        public Sample Get(int index, SampleMode mode, ulong seed) => new()
        {
            Index = index, Id = index.ToString(), Targets = _targets[index],
            Inputs = new Dictionary<string, Tensor?> { [I] = _images[index], [T] = index == 5 ? null : _texts[index] },
        };
    }

    static U2a NewU2a()
    {
        manual_seed(3);
        var spec = MethodRegistry.Resolve("u2a", ("hidden", "8"), ("layers", "1"), ("heads", "2"), ("image_patch", "4"), ("vocab", "30"));
        return (U2a)MethodRegistry.Create(spec, Repro.Tests.Methods.U2aTests.Parts(multiLabel: true));
    }

    [Fact]
    public void PerClassF1AveragesToTheRunsF1MacroAndTheErrorIsEq6sOverCompleteSamples()
    {
        var method = NewU2a();
        var loader = new DataLoader(new TinyMultiLabel(), 5, false, SampleMode.Eval, 0);
        var scores = MaskTokenF1Analysis.PerClass(method, loader);
        Assert.Equal([6, 4, 3], scores.Select(s => s.Count));   // supports of the three classes
        var overall = Evaluator.Evaluate(method, loader);
        static double Macro(IEnumerable<double> f1) => f1.Where(f => !double.IsNaN(f)).Average();
        Assert.Equal(overall["f1_macro"], Macro(scores.Select(s => s.Complete)), 6);
        // text removed from every sample = the image alone with its mask token for the text (eq. 4): the run's f1_macro_image
        // (not so for the image: sample 5, without text, then has neither modality, while f1_macro_text reads its empty text)
        Assert.Equal(overall["f1_macro_image"], Macro(scores.Select(s => s.WithMaskToken[T])), 6);

        using var scope = NewDisposeScope();
        method.Model.eval();
        using var noGrad = no_grad();
        var batch = loader.Load(Enumerable.Range(0, N).ToArray(), 0);
        // class "a" by hand: F1 of the thresholded fused logits, and eq. 6's error (MT^_text against CLS^_image) over the
        // complete samples with the class (1, 3, 7, 9, 11: sample 5 has the class but no text)
        var predicted = method.Predict(batch).Fused.select(1, 0).ge(0).data<bool>().ToArray();
        var truth = Enumerable.Range(0, N).Select(i => i % 2 == 1).ToArray();
        int tp = predicted.Zip(truth).Count(p => p.First && p.Second), fp = predicted.Zip(truth).Count(p => p.First && !p.Second),
            fn = predicted.Zip(truth).Count(p => !p.First && p.Second);
        Assert.Equal(100.0 * 2 * tp / (2 * tp + fp + fn), scores[0].Complete, 9);
        var o = method.Outputs(batch);
        var rows = tensor(new long[] { 1, 3, 7, 9, 11 });   // class a's complete samples (5 has no text)
        double imageMse = (o[T].select(1, 1) - o[I].select(1, 0)).index_select(0, rows).pow(2).mean().item<float>();
        Assert.Equal(imageMse, scores[0].EstimateMse[I], 5);
    }

    [Fact]
    public void SingleLabelDataIsLeftToTheAccuracyAnalysis()
    {
        var method = NewU2a();
        var ds = new TensorDataset("tiny", new Dictionary<string, Tensor> { [I] = randn([4, 3, 8, 8]), [T] = ones([4, 6], ScalarType.Int64) },
            zeros(4, ScalarType.Int64), ["a", "b", "c"]);
        var e = Assert.Throws<ArgumentException>(() => MaskTokenF1Analysis.PerClass(method, new DataLoader(ds, 4, false, SampleMode.Eval, 0)));
        Assert.Contains("MaskTokenAnalysis", e.Message);
    }
}
