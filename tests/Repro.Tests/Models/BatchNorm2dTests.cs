using TorchSharp;
using static TorchSharp.torch;
using KitBatchNorm2d = Repro.Models.Encoders.BatchNorm2d;

namespace Repro.Tests.Models;

/// <summary>The kit's BatchNorm2d (a held scalar for its batch counter) computes what TorchSharp's does, bit for bit.</summary>
public class BatchNorm2dTests
{
    static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    [Fact]
    public void MatchesTorchSharpsModuleInTrainingAndEvaluation()
    {
        manual_seed(3);
        var theirs = nn.BatchNorm2d(4);
        var ours = new KitBatchNorm2d(4);
        using (no_grad())
        {
            theirs.weight!.copy_(randn(4)); theirs.bias!.copy_(randn(4));
            ours.weight!.copy_(theirs.weight); ours.bias!.copy_(theirs.bias);
        }
        Assert.Equal(theirs.state_dict().Keys.Order(), ours.state_dict().Keys.Order());

        for (int step = 0; step < 3; step++)
        {
            var x = randn(5, 4, 3, 3) * 2 + 1;
            var a = x.clone().requires_grad_();
            var b = x.clone().requires_grad_();
            var (ya, yb) = (theirs.call(a), ours.call(b));
            Assert.True(Same(ya, yb), $"training output, step {step}");
            (ya * ya).sum().backward();
            (yb * yb).sum().backward();
            Assert.True(Same(a.grad!, b.grad!), $"input gradient, step {step}");
            Assert.True(Same(theirs.weight!.grad!, ours.weight!.grad!), $"weight gradient, step {step}");
        }
        foreach (var (name, buffer) in theirs.named_buffers())
            Assert.True(Same(buffer, ours.named_buffers().Single(n => n.name == name).buffer), $"buffer {name}");
        Assert.Equal(3L, ours.num_batches_tracked!.item<long>());

        theirs.eval(); ours.eval();
        var z = randn(2, 4, 3, 3);
        Assert.True(Same(theirs.call(z), ours.call(z)), "evaluation output (running statistics)");
        Assert.True(Same(theirs.running_mean!, ours.running_mean!), "evaluation leaves the running mean alone");
    }
}
