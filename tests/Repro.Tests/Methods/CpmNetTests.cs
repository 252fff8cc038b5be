using Repro.Experiments;
using Repro.Methods;
using static TorchSharp.torch;
using Repro.Methods.CpmNet;

namespace Repro.Tests.Methods;

[Collection(Repro.Tests.Training.TrainingCollection.Name)]
public class CpmNetTests
{
    [Fact]
    public void TheClassificationLossMatchesAHandComputation()
    {
        double[][] h = [[1, 0], [0.9, 0.1], [0, 1], [0.2, 0.8], [0.6, 0.5]];
        long[] y = [0, 0, 1, 1, 1];
        // by hand: mean similarity of sample n to the OTHER samples of each class, then relu(1[argmax != y] + max - own)
        double expected = 0;
        for (int n = 0; n < h.Length; n++)
        {
            var mean = new double[2];
            for (int c = 0; c < 2; c++)
            {
                var others = Enumerable.Range(0, h.Length).Where(j => j != n && y[j] == c).ToArray();
                mean[c] = others.Average(j => h[n][0] * h[j][0] + h[n][1] * h[j][1]);
            }
            int argmax = mean[1] > mean[0] ? 1 : 0;
            expected += Math.Max(0, (argmax != y[n] ? 1 : 0) + mean.Max() - mean[y[n]]);
        }
        Assert.True(expected > 1, "the example should have a misclassified sample");
        var loss = CpmNet.ClassificationLoss(tensor(h.SelectMany(r => r).ToArray(), [5, 2]), tensor(y), 2);
        Assert.Equal(expected, loss.item<double>(), 10);
    }

    [Fact]
    public void TrainsCodesAndClassifiesTestSamplesByTestTimeOptimisation()
    {
        var store = new ResultsStore(TestPaths.TempDir("results"));
        var spec = new RunSpec { Dataset = "iemocap:fold=1:missing-rate=0.5", Profile = Profile.Smoke, Method = MethodRegistry.Resolve("cpm-net"), Seed = 0 };
        var (r, _) = new ExperimentRunner(store).Run(spec);
        Assert.Equal(2, r.History.Count);
        Assert.True(r.History[1].TrainLosses["recon"] < r.History[0].TrainLosses["recon"], "reconstruction does not improve");
        Assert.InRange(r.Test["acc"], 0, 100);
        Assert.Equal(12, r.Test["n"]);
    }
}
