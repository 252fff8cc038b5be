using Repro.Models.Encoders;
using static TorchSharp.torch;

namespace Repro.Tests.Models;

public class NewEncoderTests
{
    [Fact]
    public void TokenMeanPoolIgnoresPaddingAndHasPyTorchNames()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        var enc = new TokenMeanPool(200, 8, 16, 12);
        Assert.Equal(["embedding.weight", "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"], enc.state_dict().Keys);
        enc.eval();
        var a = enc.call(tensor(new long[,] { { 101, 7, 9, 102, 0, 0 } }));
        var b = enc.call(tensor(new long[,] { { 101, 7, 9, 102, 0, 0, 0, 0, 0 } }));
        Assert.Equal([1L, 12L], a.shape);
        Assert.True(a.allclose(b, 1e-6, 1e-6));
    }

    [Fact]
    public void FeatureMlpIsGcnetsFcClassifier()
    {
        using var scope = NewDisposeScope();
        var enc = new FeatureMlp(512);
        Assert.Equal(["module.0.weight", "module.0.bias", "module.3.weight", "module.3.bias", "fc_out.weight", "fc_out.bias"], enc.state_dict().Keys);
        Assert.Equal(128, enc.FeatureDim);
        enc.eval();
        Assert.Equal([4L, 128L], enc.call(randn(4, 512)).shape);
    }
}
