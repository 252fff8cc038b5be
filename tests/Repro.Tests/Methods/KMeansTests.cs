using Repro.Methods;
using static TorchSharp.torch;
using Repro.Methods.DiagnosingRelearning;

namespace Repro.Tests.Methods;

[Collection(Repro.Tests.Training.TrainingCollection.Name)]
public class KMeansTests
{
    [Fact]
    public void ThreeSeparatedPairsAreFoundWithTheirInertia()
    {
        using var scope = NewDisposeScope();
        // Pairs at distance 1 around (0,0), (10,0), (0,10): centres are the pair means, inertia 6 * 0.5^2 = 1.5.
        var x = tensor(new double[] { -0.5, 0, 0.5, 0, 9.5, 0, 10.5, 0, 0, 9.5, 0, 10.5 }, [6, 2]);
        var (labels, inertia, centers) = new KMeans(3, seed: 0).Fit(x);
        Assert.Equal(labels[0], labels[1]);
        Assert.Equal(labels[2], labels[3]);
        Assert.Equal(labels[4], labels[5]);
        Assert.Equal(3, labels.Distinct().Count());
        Assert.Equal(1.5, inertia, 9);
        var c = Enumerable.Range(0, 3).Select(i => (centers[i, 0], centers[i, 1])).OrderBy(p => p.Item1).ThenBy(p => p.Item2).ToArray();
        Assert.Equal(new[] { (0.0, 0.0), (0.0, 10.0), (10.0, 0.0) }, c);
    }

    [Fact]
    public void OneDimensionalSplitIsTheOptimum()
    {
        using var scope = NewDisposeScope();
        // {0, 1} and {9, 10}: centres 0.5 and 9.5, inertia 4 * 0.25 = 1; purity against the true split is 1.
        var x = tensor(new double[] { 0, 9, 1, 10 }, [4, 1]);
        var (labels, inertia, _) = new KMeans(2).Fit(x);
        Assert.Equal(1.0, inertia, 12);
        Assert.Equal(1.0, KMeans.Purity(labels, [0, 1, 0, 1]), 12);
    }

    [Fact]
    public void TheSameSeedGivesTheSameClusters()
    {
        using var scope = NewDisposeScope();
        var x = randn([40, 3], generator: new TorchSharp.torch.Generator(3));
        Assert.Equal(KMeans.FitPredict(x, 4, 11), KMeans.FitPredict(x, 4, 11));
        Assert.Equal(4, KMeans.FitPredict(x, 4, 11).Distinct().Count());
    }

    [Fact]
    public void TooFewSamplesAreRefused() =>
        Assert.Throws<ArgumentException>(() => KMeans.FitPredict(zeros(2, 2), 3));

    [Fact]
    public void OnTheDiagnosisFixtureItsPuritiesAreScikitLearns()
    {
        // dr-concat-a records scikit-learn 1.2.1 KMeans(n_clusters=3, random_state=0) on the scaled features of eight sets.
        var t = Repro.Native.Safetensors.Load(Path.Combine(TestPaths.Parity, "dr-concat-a.safetensors"));
        foreach (var k in new[] { 2, 3 })
        {
            var official = t[$"dr/diag{k}/purity"].data<float>().ToArray();
            var sets = new[] { "train_audio", "val_audio", "train_visual", "val_visual" };
            for (int i = 0; i < sets.Length; i++)
            {
                var labels = (sets[i].StartsWith("train") ? t["data/label"] : t["val/label"]).data<long>().ToArray();
                var ours = KMeans.Purity(KMeans.FitPredict(t[$"dr/diag{k}/scaled/{sets[i]}"], 3, 0), labels);
                Assert.Equal(official[i], ours, 5);
            }
        }
        foreach (var v in t.Values) v.Dispose();
    }
}
