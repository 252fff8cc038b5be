using Repro.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Tests.Native;

public class TorchRuntimeTests
{
    [Fact]
    public void TorchSharpInitialisesAndTrainsInTheTestProcess()
    {
        TorchRuntime.EnsureReady();
        using var scope = NewDisposeScope();
        var lin = nn.Linear(3, 1);
        var x = ones(4, 3);
        var loss = lin.call(x).pow(2).sum();
        loss.backward();
        Assert.NotNull(lin.weight!.grad);
        Assert.Equal(3, lin.weight.grad!.shape[1]);
    }

    [Fact]
    public void EveryBuiltCopyOfTheNativeLibraryLoadsOnThisSystem()
    {
        var copies = TorchRuntime.BuiltNativeLibraries().ToList();
        Assert.NotEmpty(copies);
        if (GlibcxxCompat.SystemProvides()) return; // a newer libstdc++ needs no patch
        foreach (var so in copies)
            Assert.True(GlibcxxCompat.IsVersionNeedWeak(so) == true, $"{so}: {GlibcxxCompat.RequiredVersion} requirement is not weak; the build patch did not run.");
    }
}
