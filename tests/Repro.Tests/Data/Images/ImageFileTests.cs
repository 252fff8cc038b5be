using Repro.Data;
using Repro.Data.Images;
using Repro.Native;
using Xunit.Abstractions;

namespace Repro.Tests.Data.Images;

public class ImageFileTests
{
    readonly ITestOutputHelper _out;
    public ImageFileTests(ITestOutputHelper output) { _out = output; TorchRuntime.EnsureReady(); }

    [Fact]
    public void DecodesTheFixtureJpegLikePil()
    {
        var ours = ImageFile.Decode(ImageFixture.Jpeg);
        var pil = ImageFixture.PilDecoded();
        Assert.Equal((320, 240), (ours.Width, ours.Height));
        Assert.Equal((pil.Width, pil.Height), (ours.Width, ours.Height));

        int max = 0; long sum = 0, differing = 0;
        for (int i = 0; i < ours.Pixels.Length; i++)
        {
            int d = Math.Abs(ours.Pixels[i] - pil.Pixels[i]);
            max = Math.Max(max, d);
            sum += d;
            if (d != 0) differing++;
        }
        double mean = (double)sum / ours.Pixels.Length;
        _out.WriteLine($"JPEG decode vs PIL: max abs {max} levels, mean abs {mean:F6} levels, {differing} of {ours.Pixels.Length} samples differ");
        Assert.True(max <= 2, $"decoded JPEG differs from PIL by up to {max} levels (mean {mean:F4}); libjpeg-turbo builds agree within 2");
    }

    static RgbImage Pattern(int w, int h, ulong seed)
    {
        // smooth gradients plus mild noise: what a camera frame looks like to a JPEG encoder
        var rng = new Rng(seed);
        var px = new byte[w * h * 3];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                for (int c = 0; c < 3; c++)
                {
                    double v = 128 + 90 * Math.Sin((x * (c + 1) + 2 * y) / 17.0) + 8 * (rng.NextDouble() - 0.5);
                    px[(y * w + x) * 3 + c] = (byte)Math.Clamp(Math.Round(v), 0, 255);
                }
        return new RgbImage(w, h, px);
    }

    [Fact]
    public void PngRoundTripIsExact()
    {
        var dir = TestPaths.TempDir();
        try
        {
            var img = Pattern(37, 21, 1);
            var path = Path.Combine(dir, "a.png");
            ImageFile.WritePng(path, img);
            var back = ImageFile.Decode(path);
            Assert.Equal(img, back);
            Assert.Empty(Directory.GetFiles(dir, "*.tmp"));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void JpegRoundTripIsClose()
    {
        var dir = TestPaths.TempDir();
        try
        {
            var img = Pattern(64, 48, 2);
            var path = Path.Combine(dir, "a.jpg");
            ImageFile.WriteJpeg(path, img, quality: 95);
            var back = ImageFile.Decode(path);
            Assert.Equal((img.Width, img.Height), (back.Width, back.Height));
            double mean = img.Pixels.Zip(back.Pixels, (a, b) => (double)Math.Abs(a - b)).Average();
            _out.WriteLine($"JPEG q95 round trip: mean abs error {mean:F3} levels");
            Assert.True(mean < 3.0, $"JPEG quality 95 round trip mean abs error {mean:F3} levels, expected < 3");
            Assert.NotEqual(img, back); // lossy: proves the JPEG path, not PNG, was taken
            Assert.Equal(0xFF, File.ReadAllBytes(path)[0]);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void WriteReplacesAnExistingFile()
    {
        var dir = TestPaths.TempDir();
        try
        {
            var path = Path.Combine(dir, "a.png");
            ImageFile.WritePng(path, Pattern(8, 8, 3));
            var second = Pattern(5, 9, 4);
            ImageFile.WritePng(path, second);
            Assert.Equal(second, ImageFile.Decode(path));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void MissingFileNamesThePath()
    {
        var path = Path.Combine(TestPaths.TempDir(), "nope.jpg");
        var e = Assert.Throws<FileNotFoundException>(() => ImageFile.Decode(path));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void EmptyFileNamesThePath()
    {
        var dir = TestPaths.TempDir();
        try
        {
            var path = Path.Combine(dir, "empty.jpg");
            File.WriteAllBytes(path, []);
            var e = Assert.Throws<InvalidDataException>(() => ImageFile.Decode(path));
            Assert.Contains(path, e.Message);
            Assert.Contains("empty", e.Message);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void TextFileNamedJpgNamesThePath()
    {
        var dir = TestPaths.TempDir();
        try
        {
            var path = Path.Combine(dir, "notes.jpg");
            File.WriteAllText(path, "this is not an image, just some text\n");
            var e = Assert.Throws<InvalidDataException>(() => ImageFile.Decode(path));
            Assert.Contains(path, e.Message);
            Assert.Contains("not a JPEG/PNG image or corrupt", e.Message);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void TruncatedJpegNamesThePath()
    {
        var dir = TestPaths.TempDir();
        try
        {
            var bytes = File.ReadAllBytes(ImageFixture.Jpeg);
            var path = Path.Combine(dir, "cut.jpg");
            File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
            var e = Assert.Throws<InvalidDataException>(() => ImageFile.Decode(path));
            Assert.Contains(path, e.Message);
            Assert.Contains("corrupt", e.Message);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void RgbImageRejectsAWrongPixelCount()
    {
        var e = Assert.Throws<ArgumentException>(() => new RgbImage(4, 3, new byte[35]));
        Assert.Contains("expected width*height*3 = 36", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new RgbImage(0, 3, []));
    }
}
