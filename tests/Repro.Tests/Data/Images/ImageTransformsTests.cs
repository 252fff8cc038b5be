using Repro.Data;
using Repro.Data.Images;
using Repro.Native;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Repro.Tests.Data.Images;

public class ImageTransformsTests
{
    // PIL rounds its resize to 8 bits; a float resize lands within one level of it (fixture README)
    const double OneLevel = 1.0 / 255 + 1e-6;

    readonly ITestOutputHelper _out;
    public ImageTransformsTests(ITestOutputHelper output) { _out = output; TorchRuntime.EnsureReady(); }

    [Fact]
    public void ToTensorIsChwInUnitRange()
    {
        using var scope = NewDisposeScope();
        var img = new RgbImage(2, 1, [0, 51, 255, 10, 20, 30]);
        var t = ImageTransforms.ToTensor(img);
        Assert.Equal(new long[] { 3, 1, 2 }, t.shape);
        Assert.Equal(ScalarType.Float32, t.dtype);
        Assert.Equal(0f, t[0, 0, 0].item<float>());
        Assert.Equal(10f / 255, t[0, 0, 1].item<float>(), 7);
        Assert.Equal(0.2f, t[1, 0, 0].item<float>(), 7);
        Assert.Equal(1f, t[2, 0, 0].item<float>());
        Assert.Equal(30f / 255, t[2, 0, 1].item<float>(), 7);
    }

    [Fact]
    public void ResizeOfPilDecodedImageMatchesTorchvision()
    {
        using var scope = NewDisposeScope();
        var reference = ImageFixture.Load("image/resize_224_unnormalised");
        var ours = ImageTransforms.Resize(ImageTransforms.ToTensor(ImageFixture.PilDecoded()), 224, 224);
        var (max, mean) = ImageFixture.AbsDiff(ours, reference);
        _out.WriteLine($"Resize(224) on PIL's pixels vs torchvision: max abs {max:E3} ({max * 255:F6} levels), mean abs {mean:E3}");
        Assert.True(max <= OneLevel, $"max abs error {max} > 1/255 + 1e-6");
    }

    [Fact]
    public void TestTransformMatchesTorchvisionFromPilPixels()
    {
        using var scope = NewDisposeScope();
        var reference = ImageFixture.Load("image/test_224");
        var ours = ImagePipelines.Test(ImageFixture.PilDecoded(), 224);
        var (max, mean) = ImageFixture.AbsDiff(ours, reference);
        double tol = OneLevel / ImageTransforms.ImageNetStd.Min();
        _out.WriteLine($"Test(224) on PIL's pixels vs torchvision: max abs {max:E3}, mean abs {mean:E3} (tolerance {tol:E3})");
        Assert.True(max <= tol, $"max abs error {max} > {tol}");
    }

    [Fact]
    public void TestTransformMatchesTorchvisionFromOurDecoder()
    {
        using var scope = NewDisposeScope();
        var img = ImageFile.Decode(ImageFixture.Jpeg);

        var unnorm = ImageTransforms.Resize(ImageTransforms.ToTensor(img), 224, 224);
        var (umax, umean) = ImageFixture.AbsDiff(unnorm, ImageFixture.Load("image/resize_224_unnormalised"));
        _out.WriteLine($"decode + Resize(224) vs torchvision: max abs {umax:E3} ({umax * 255:F6} levels), mean abs {umean:E3}");
        Assert.True(umax <= OneLevel, $"max abs error {umax} > 1/255 + 1e-6");

        var ours = ImagePipelines.Test(img, 224);
        var (max, mean) = ImageFixture.AbsDiff(ours, ImageFixture.Load("image/test_224"));
        double tol = OneLevel / ImageTransforms.ImageNetStd.Min();
        _out.WriteLine($"decode + Test(224) vs torchvision: max abs {max:E3}, mean abs {mean:E3} (tolerance {tol:E3})");
        Assert.True(max <= tol, $"max abs error {max} > {tol}");
    }

    [Fact]
    public void ResizeWithoutAntialiasWouldFailTheFixture()
    {
        // guards the test itself: the fixture README measures 0.032 for the non-antialiased resize
        using var scope = NewDisposeScope();
        var x = ImageTransforms.ToTensor(ImageFixture.PilDecoded()).unsqueeze(0);
        var plain = nn.functional.interpolate(x, [224, 224], mode: InterpolationMode.Bilinear, align_corners: false).squeeze(0);
        var (max, _) = ImageFixture.AbsDiff(plain, ImageFixture.Load("image/resize_224_unnormalised"));
        Assert.True(max > OneLevel, $"non-antialiased resize unexpectedly within tolerance ({max})");
    }

    [Fact]
    public void NormalizeSubtractsAndDividesPerChannel()
    {
        using var scope = NewDisposeScope();
        var x = full(3, 2, 2, 0.5f);
        var y = ImageTransforms.Normalize(x, ImageTransforms.ImageNetMean, ImageTransforms.ImageNetStd);
        for (int c = 0; c < 3; c++)
            Assert.Equal((0.5f - ImageTransforms.ImageNetMean[c]) / ImageTransforms.ImageNetStd[c], y[c, 1, 1].item<float>(), 6);
        Assert.Throws<ArgumentException>(() => ImageTransforms.Normalize(x, [0.5f], [1f]));
        Assert.Throws<ArgumentException>(() => ImageTransforms.Normalize(x, [0, 0, 0], [1, 0, 1]));
    }

    [Fact]
    public void HorizontalFlipMirrorsColumns()
    {
        using var scope = NewDisposeScope();
        var x = arange(6, dtype: ScalarType.Float32).view(1, 2, 3);
        var y = ImageTransforms.HorizontalFlip(x);
        Assert.Equal(new float[] { 2, 1, 0, 5, 4, 3 }, y.contiguous().data<float>().ToArray());
    }

    /// <summary>True when some real w', h' that round to (w, h) satisfy the scale and ratio ranges (torchvision rounds after sampling).</summary>
    static bool ConsistentWithRanges(int h, int w, int height, int width, double smin = 0.08, double smax = 1.0, double rmin = 0.75, double rmax = 4.0 / 3)
    {
        double area = (double)height * width;
        bool ratioOk = (w + 0.5) / Math.Max(h - 0.5, 1e-9) >= rmin && (w - 0.5) / (h + 0.5) <= rmax;
        bool areaOk = (w + 0.5) * (h + 0.5) >= smin * area && (w - 0.5) * (h - 0.5) <= smax * area;
        return ratioOk && areaOk;
    }

    [Theory]
    [InlineData(240, 320)]
    [InlineData(224, 224)]
    [InlineData(480, 270)]
    [InlineData(37, 53)]
    public void RandomResizedCropParamsStayInsideAndInRange(int height, int width)
    {
        double minFrac = 1, maxFrac = 0, minRatio = 10, maxRatio = 0;
        for (ulong seed = 0; seed < 2000; seed++)
        {
            var (top, left, h, w) = ImageTransforms.RandomResizedCropParams(height, width, new Rng(seed));
            Assert.InRange(h, 1, height);
            Assert.InRange(w, 1, width);
            Assert.InRange(top, 0, height - h);
            Assert.InRange(left, 0, width - w);
            bool fallback = (top, left, h, w) == ((height - h) / 2, (width - w) / 2, height, width);
            Assert.True(fallback || ConsistentWithRanges(h, w, height, width),
                $"seed {seed}: crop {h}x{w} of {height}x{width} is outside scale (0.08, 1) / ratio (3/4, 4/3)");
            double frac = (double)h * w / (height * width), ratio = (double)w / h;
            (minFrac, maxFrac) = (Math.Min(minFrac, frac), Math.Max(maxFrac, frac));
            (minRatio, maxRatio) = (Math.Min(minRatio, ratio), Math.Max(maxRatio, ratio));
        }
        _out.WriteLine($"{height}x{width}: area fraction {minFrac:F3}..{maxFrac:F3}, ratio {minRatio:F3}..{maxRatio:F3}");
        Assert.True(minFrac < 0.12 && maxFrac > 0.7, $"area fractions {minFrac}..{maxFrac} do not cover the scale range");
        Assert.True(minRatio < 0.8 && maxRatio > 1.25, $"ratios {minRatio}..{maxRatio} do not cover the ratio range");
    }

    [Fact]
    public void RandomResizedCropParamsAreDeterministicPerSeed()
    {
        var a = Enumerable.Range(0, 50).Select(s => ImageTransforms.RandomResizedCropParams(240, 320, new Rng((ulong)s))).ToList();
        var b = Enumerable.Range(0, 50).Select(s => ImageTransforms.RandomResizedCropParams(240, 320, new Rng((ulong)s))).ToList();
        Assert.Equal(a, b);
        Assert.True(a.Distinct().Count() > 45, "different seeds should give different crops");
    }

    [Theory]
    [InlineData(1000, 10, 493, 0, 13, 10)]   // in_ratio 0.01 < 3/4: w = width, h = round(10 / 0.75) = 13
    [InlineData(10, 1000, 0, 493, 10, 13)]   // in_ratio 100 > 4/3: h = height, w = round(10 * 4/3) = 13
    public void RandomResizedCropFallsBackToTheCentralCropClampedToTheRatio(int height, int width, int top, int left, int h, int w)
    {
        // no draw fits such a thin image: every attempt needs w or h larger than the image
        for (ulong seed = 0; seed < 20; seed++)
            Assert.Equal((top, left, h, w), ImageTransforms.RandomResizedCropParams(height, width, new Rng(seed)));
    }

    [Fact]
    public void RandomResizedCropFallsBackToTheWholeImageInsideTheRatioRange()
    {
        // a scale range no draw can satisfy (area > the image) leaves the fallback; 4:3 is inside the ratio range
        Assert.Equal((0, 0, 30, 40), ImageTransforms.RandomResizedCropParams(30, 40, new Rng(7), scaleMin: 1.5, scaleMax: 2.0));
    }

    [Fact]
    public void RandomResizedCropOutputsTheRequestedSize()
    {
        using var scope = NewDisposeScope();
        var x = rand(3, 240, 320);
        var y = ImageTransforms.RandomResizedCrop(x, 112, new Rng(3));
        Assert.Equal(new long[] { 3, 112, 112 }, y.shape);
        Assert.True(y.min().item<float>() >= -1e-6 && y.max().item<float>() <= 1 + 1e-6);
    }

    [Fact]
    public void BadArgumentsAreRejected()
    {
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentException>(() => ImageTransforms.Resize(zeros(3, 4), 2, 2));
        Assert.Throws<ArgumentException>(() => ImageTransforms.Resize(zeros(new long[] { 3, 4, 4 }, ScalarType.Byte), 2, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageTransforms.Resize(zeros(3, 4, 4), 0, 2));
        Assert.Throws<ArgumentException>(() => ImageTransforms.RandomResizedCropParams(10, 10, new Rng(1), scaleMin: 0.9, scaleMax: 0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageTransforms.RandomResizedCropParams(0, 10, new Rng(1)));
    }
}
