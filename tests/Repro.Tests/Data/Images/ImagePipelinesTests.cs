using Repro.Data;
using Repro.Data.Images;
using Repro.Native;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Repro.Tests.Data.Images;

public class ImagePipelinesTests
{
    readonly ITestOutputHelper _out;
    public ImagePipelinesTests(ITestOutputHelper output) { _out = output; TorchRuntime.EnsureReady(); }

    /// <summary>Brightness rising left to right in every channel: any crop keeps the rise, a flip reverses it.</summary>
    static RgbImage HorizontalRamp(int w, int h)
    {
        var px = new byte[w * h * 3];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                for (int c = 0; c < 3; c++)
                    px[(y * w + x) * 3 + c] = (byte)(x * 255 / (w - 1));
        return new RgbImage(w, h, px);
    }

    [Fact]
    public void TrainFlipsAboutHalfTheTimeAfterTheCropDraws()
    {
        var img = HorizontalRamp(64, 48);
        int flips = 0, n = 400;
        for (ulong seed = 0; seed < (ulong)n; seed++)
        {
            using var scope = NewDisposeScope();
            var y = ImagePipelines.Train(img, 32, new Rng(seed));
            Assert.Equal(new long[] { 3, 32, 32 }, y.shape);
            bool flipped = y[0, .., 0].mean().item<float>() > y[0, .., -1].mean().item<float>();
            if (flipped) flips++;

            // the flip is the draw after the crop's: replay the same stream by hand
            var rng = new Rng(seed);
            ImageTransforms.RandomResizedCropParams(48, 64, rng);
            Assert.Equal(rng.NextDouble() < 0.5, flipped);
        }
        _out.WriteLine($"Train: {flips} flips in {n} seeds");
        Assert.InRange(flips, (int)(0.42 * n), (int)(0.58 * n));
    }

    [Fact]
    public void TrainEqualsItsStepsBySeed()
    {
        using var scope = NewDisposeScope();
        var img = ImageFile.Decode(ImageFixture.Jpeg);
        for (ulong seed = 0; seed < 8; seed++)
        {
            var y = ImagePipelines.Train(img, 224, new Rng(seed));
            var rng = new Rng(seed);
            var x = ImageTransforms.RandomResizedCrop(ImageTransforms.ToTensor(img), 224, rng);
            if (rng.NextDouble() < 0.5) x = ImageTransforms.HorizontalFlip(x);
            x = ImageTransforms.Normalize(x, ImageTransforms.ImageNetMean, ImageTransforms.ImageNetStd);
            Assert.True(y.allclose(x, rtol: 0, atol: 0), $"seed {seed}: Train differs from its steps");
            Assert.True(y.allclose(ImagePipelines.Train(img, 224, new Rng(seed)), rtol: 0, atol: 0), "same seed, different output");
        }
    }

    [Fact]
    public void TestTransformShape()
    {
        using var scope = NewDisposeScope();
        var y = ImagePipelines.Test(HorizontalRamp(20, 10), 16);
        Assert.Equal(new long[] { 3, 16, 16 }, y.shape);
        Assert.Equal(ScalarType.Float32, y.dtype);
    }
}
