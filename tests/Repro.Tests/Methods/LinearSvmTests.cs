using Repro.Methods.Cca;
using static TorchSharp.torch;

namespace Repro.Tests.Methods;

/// <summary>The linear SVM of the CCA family on cases checked by hand.</summary>
public class LinearSvmTests
{
    /// <summary>
    /// x = 2 (class 0) and x = 0 (class 1), C = 1, intercept penalised: class 0's objective
    /// 0.5 (w^2 + b^2) + (1 - 2w - b)^2 + (1 + b)^2 (both margins violated) has its zero gradient at 9w + 4b = 4,
    /// 4w + 5b = 0: w = 20/29, b = -16/29; class 1 is the mirror image.
    /// </summary>
    [Fact]
    public void TwoPointsGiveTheClosedFormWeights()
    {
        using var scope = NewDisposeScope();
        var w = LinearSvm.Fit(tensor(new double[,] { { 2 }, { 0 } }), [0, 1], 2, c: 1.0);
        MethodTestKit.AssertClose(tensor(new double[,] { { 20.0 / 29, -20.0 / 29 }, { -16.0 / 29, 16.0 / 29 } }), w, 1e-9, "weights (row 0) and intercepts (row 1)");
    }

    /// <summary>Separable classes are fitted with 100% training accuracy, as the head reports it.</summary>
    [Fact]
    public void SeparableClassesAreFittedWithFullTrainingAccuracy()
    {
        using var scope = NewDisposeScope();
        var g = new Generator(3);
        var labels = Enumerable.Range(0, 60).Select(i => (long)(i % 3)).ToArray();
        var x = tensor(new double[] { 4, 0, 0, 4, -4, -4 }, [3, 2]).index_select(0, tensor(labels)) + 0.5 * randn([60, 2], generator: g, dtype: ScalarType.Float64);
        var head = new DccaHead(["audio", "visual"], [1, 1], 1, 4, 3, decoders: false);
        Assert.Equal(100.0, head.FitSvm(x, labels, 1.0));
        Assert.Equal(labels, head.Decide(x).argmax(1).data<long>().ToArray());
    }
}
