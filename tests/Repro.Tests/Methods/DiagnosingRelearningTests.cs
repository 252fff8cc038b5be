using Repro.Data;
using Repro.Methods;
using TorchSharp;
using static TorchSharp.torch;
using Repro.Methods.DiagnosingRelearning;

namespace Repro.Tests.Methods;

public class DiagnosingRelearningTests
{
    [Fact]
    public void PurityIsTheShareOfMajorityLabels()
    {
        // Cluster 0: labels 0,0,1 (majority 2); cluster 1: 1,1 (2); cluster 2: 2 (1) -> 5/6.
        Assert.Equal(5.0 / 6, KMeans.Purity([0, 0, 0, 1, 1, 2], [0, 0, 1, 1, 1, 2]), 12);
        Assert.Equal(1.0, KMeans.Purity([2, 2, 0], [1, 1, 0]), 12); // cluster ids are arbitrary
        Assert.Equal(0.5, KMeans.Purity([0, 0, 0, 0], [0, 1, 0, 1]), 12);
    }

    [Fact]
    public void StrengthIsTanhOfTheScaledPurityGap()
    {
        Assert.Equal(Math.Tanh(3 * 0.3), DiagnosingRelearning.Strength(0.9, 0.6, 3), 12);
        Assert.Equal(Math.Tanh(3 * 0.3), DiagnosingRelearning.Strength(0.6, 0.9, 3), 12);
        Assert.Equal(0, DiagnosingRelearning.Strength(0.7, 0.7, 3), 12);
    }

    [Fact]
    public void MinMaxScalingMapsEachColumnToMinusOneOne()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new float[] { 0, 5, 2, 5, 4, 5 }, [3, 2]);
        var s = DiagnosingRelearning.MinMaxScale(x);
        // Column 0: (0, 2, 4) -> (-1, 0, 1); column 1 is constant -> -1 (sklearn maps a zero range to scale 2).
        Assert.Equal(new float[] { -1, -1, 0, -1, 1, -1 }, s.data<float>().ToArray());
    }

    [Fact]
    public void SoftReinitialisationBlendsInitialAndCurrentEncoderWeightsOnly()
    {
        using var scope = NewDisposeScope();
        var dr = MethodTestData.Create<DiagnosingRelearning>("dr", MethodTestData.Parts());
        var loader = MethodTestData.Loader(MethodTestData.Dataset(12, 6), 6);
        dr.OnEpochStart(MethodTestData.Epoch(0, 2, loader));
        var init = dr.Model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        using (no_grad()) foreach (var p in dr.Model.parameters()) p.add_(1.0);
        dr.Reinitialise(Modalities.Audio, 0.25);
        var now = dr.Model.state_dict();
        foreach (var (name, value) in now)
        {
            var expected = name.StartsWith("audio_net.") ? 0.25 * init[name] + 0.75 * (init[name] + 1) : init[name] + 1;
            Assert.True(value.allclose(expected, 1e-5, 1e-6), name);
        }
    }

    [Fact]
    public void DiagnosisClustersFourSetsAndReinitialisesByThePurityGap()
    {
        using var scope = NewDisposeScope();
        var train = MethodTestData.Loader(MethodTestData.Dataset(12, 7), 6);
        var held = MethodTestData.Loader(MethodTestData.Dataset(6, 8, "held"), 6);
        var dr = MethodTestData.Create<DiagnosingRelearning>("dr", MethodTestData.Parts(), "reinit_epoch=1", "reinit_num=1", "move_lambda=2");
        var calls = new List<string>();
        // Training sets: perfect clusters (purity 1); held-out audio: one cluster (purity 1/3); held-out visual: perfect.
        dr.Cluster = (x, k, set) =>
        {
            calls.Add(set.Name);
            Assert.Equal(MethodTestData.Classes, k);
            Assert.Equal(1, set.Epoch);
            long n = x.shape[0];
            return set.Name == "val_audio" ? new long[n] : Enumerable.Range(0, (int)n).Select(i => (long)(i % MethodTestData.Classes)).ToArray();
        };
        dr.OnEpochStart(MethodTestData.Epoch(0, 3, train, held));
        var init = dr.Model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        using (no_grad()) foreach (var p in dr.Model.parameters()) p.add_(0.5);
        dr.OnEpochEnd(MethodTestData.Epoch(0, 3, train, held)); // epoch 0 never diagnoses
        Assert.Empty(calls);
        dr.OnEpochEnd(MethodTestData.Epoch(1, 3, train, held));
        Assert.Equal(new[] { "train_audio", "val_audio", "train_visual", "val_visual" }, calls);
        double w = Math.Tanh(2 * (1 - 1.0 / 3));
        var now = dr.Model.state_dict();
        foreach (var (name, value) in now)
        {
            var expected = name.StartsWith("audio_net.") ? (float)w * init[name] + (float)(1 - w) * (init[name] + 0.5) : init[name] + 0.5;
            Assert.True(value.allclose(expected, 1e-5, 1e-6), name);
        }
        dr.OnEpochEnd(MethodTestData.Epoch(2, 3, train, held)); // reinit_num = 1 reached
        Assert.Equal(4, calls.Count);
    }

    [Fact]
    public void WithoutAHeldOutSplitTheDiagnosisSaysWhatIsMissing()
    {
        using var scope = NewDisposeScope();
        var train = MethodTestData.Loader(MethodTestData.Dataset(6, 9), 6);
        var dr = MethodTestData.Create<DiagnosingRelearning>("dr", MethodTestData.Parts(), "reinit_epoch=1");
        dr.OnEpochStart(MethodTestData.Epoch(0, 2, train));
        var e = Assert.Throws<InvalidOperationException>(() => dr.OnEpochEnd(MethodTestData.Epoch(1, 2, train)));
        Assert.Contains("validation", e.Message);
    }

    [Fact]
    public void MultiLabelDataIsRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => DiagnosingRelearning.Create(new DrOptions(), MethodTestData.Parts(multiLabel: true)));
        Assert.Contains("multi-label", e.Message);
    }
}
