using Repro.Native;
using static TorchSharp.torch;

namespace Repro.Tests.Native;

/// <summary>
/// Guards the oneDNN workaround in <see cref="TorchRuntime"/>: with every thread in use, repeated identical
/// convolution backward passes must agree and stay finite.
/// </summary>
public class ConvolutionDeterminismTests
{
    [Fact]
    public void ConvolutionBackwardIsRepeatableWithAllThreads()
    {
        TorchRuntime.EnsureReady();
        using var scope = NewDisposeScope();
        manual_seed(0);
        var x = randn(16, 3, 32, 32);
        var w1 = randn(4, 3, 3, 3).requires_grad_(true);
        var w2 = randn(4, 4, 3, 3);
        Tensor? first = null;
        for (int t = 0; t < 60; t++)
        {
            using var inner = NewDisposeScope();
            var z = nn.functional.conv2d(nn.functional.conv2d(x, w1, padding: [1, 1]), w2, padding: [1, 1]);
            var g = autograd.grad([z.sum()], [w1])[0];
            Assert.False(g.isnan().any().item<bool>(), $"NaN weight gradient on repeat {t} with {get_num_threads()} threads");
            if (first is null) first = g.detach().clone().MoveToOuterDisposeScope();
            else Assert.True(g.allclose(first, 1e-3, 1e-3), $"weight gradient differs on repeat {t} with {get_num_threads()} threads");
        }
    }
}
