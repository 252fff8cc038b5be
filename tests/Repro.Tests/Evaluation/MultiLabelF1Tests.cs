using Repro.Evaluation;

namespace Repro.Tests.Evaluation;

public class MultiLabelF1Tests
{
    [Fact]
    public void MatchesTheDefinitionsOfDatasetsMd()
    {
        // 3 samples x 4 classes; class 3 is never predicted nor true (dropped from macro)
        bool[] p = [true, false, true, false, /**/ false, false, false, false, /**/ true, false, false, false];
        float[] t = [1, 1, 0, 0, /**/ 0, 0, 0, 0, /**/ 1, 0, 0, 0];
        var f = Metrics.MultiLabelF1(p, t, 4);
        Assert.Equal(100 * 4.0 / 6, f["f1_micro"], 9);     // TP 2, FP 1, FN 1
        Assert.Equal(100 * 1.0 / 3, f["f1_macro"], 9);     // classes 0..2: F1 1, 0, 0
        Assert.Equal(100 * 2.0 / 3, f["f1_weighted"], 9);  // supports 2, 1, 0
        Assert.Equal(100 * 0.5, f["f1_samples"], 9);       // 0.5, 0 (0/0), 1
    }

    [Fact]
    public void ThresholdIsSigmoidAtOneHalf()
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        Assert.Equal([false, true, true], Metrics.Threshold(TorchSharp.torch.tensor(new float[] { -0.01f, 0f, 3f })));
    }
}
