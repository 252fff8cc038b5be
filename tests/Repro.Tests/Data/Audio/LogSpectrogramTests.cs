using Repro.Data.Audio;
using Repro.Native;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Repro.Tests.Data.Audio;

public class LogSpectrogramTests
{
    readonly ITestOutputHelper _out;

    public LogSpectrogramTests(ITestOutputHelper output)
    {
        _out = output;
        TorchRuntime.EnsureReady();
    }

    static float[] Sine(double freq, int rate, int n, double amp = 1.0) =>
        Enumerable.Range(0, n).Select(i => (float)(amp * Math.Sin(2 * Math.PI * freq * i / rate))).ToArray();

    static float[,] ToArray(Tensor t)
    {
        var rows = (int)t.shape[0];
        var cols = (int)t.shape[1];
        var flat = t.contiguous().data<float>().ToArray();
        var a = new float[rows, cols];
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < cols; c++) a[r, c] = flat[r * cols + c];
        return a;
    }

    [Fact]
    public void BinCentredToneHasItsPeakAtItsBinAndTheAnalyticMagnitude()
    {
        const double amp = 0.5;
        var x = Sine(40.0 * 22050 / 512, 22050, LogSpectrogram.CremaDSamples, amp);
        using var scope = NewDisposeScope();
        var s = LogSpectrogram.LogStft(x, 512, 353, center: true, PadMode.Reflect);
        Assert.Equal(new long[] { 257, 188 }, s.shape);
        Assert.Equal(ScalarType.Float32, s.dtype);
        var a = ToArray(s);

        // Periodic Hann of length 512 sums to 256: |S| at the tone's bin = A * sum(w) / 2.
        var expected = amp * 256 / 2;
        double worst = 0;
        for (var t = 1; t < 187; t++)
        {
            var best = 0;
            for (var f = 1; f < 257; f++) if (a[f, t] > a[best, t]) best = f;
            Assert.True(best == 40, $"frame {t}: peak at bin {best}");
            var mag = Math.Exp(a[40, t]) - 1e-7;
            worst = Math.Max(worst, Math.Abs(mag / expected - 1));
        }
        _out.WriteLine($"bin-40 tone, A = {amp}: worst relative error of |S| against A*sum(w)/2 = {expected}: {worst:E3}");
        Assert.True(worst < 0.01, $"relative magnitude error {worst}");
    }

    [Fact]
    public void ReflectAndConstantPaddingDifferOnlyInEdgeFrames()
    {
        var x = Sine(1234.5, 22050, LogSpectrogram.CremaDSamples, 0.3);
        using var scope = NewDisposeScope();
        var reflect = ToArray(LogSpectrogram.LogStft(x, 512, 353, true, PadMode.Reflect));
        var constant = ToArray(LogSpectrogram.LogStft(x, 512, 353, true, PadMode.Constant));
        // Frame t covers [353 t - 256, 353 t + 256): only t = 0 and t = 187 (66,011 + 256 > 66,150) reach the padding.
        for (var t = 0; t < 188; t++)
        {
            double diff = 0;
            for (var f = 0; f < 257; f++) diff = Math.Max(diff, Math.Abs(reflect[f, t] - constant[f, t]));
            if (t == 0 || t == 187) Assert.True(diff > 1e-3, $"edge frame {t} should differ, max diff {diff}");
            else Assert.True(diff == 0, $"interior frame {t} differs by {diff}");
        }
    }

    [Fact]
    public void CentredFrameMatchesADirectDftOfLibrosasFrame()
    {
        // librosa: frame t = window * y_padded[t*hop : t*hop + n_fft], y_padded = np.pad(y, n_fft // 2, 'reflect').
        var x = Enumerable.Range(0, 1000).Select(i => (float)(Math.Sin(i * 0.3) * Math.Cos(i * 0.011) + 0.1)).ToArray();
        const int nFft = 64, hop = 20;
        using var scope = NewDisposeScope();
        var s = ToArray(LogSpectrogram.LogStft(x, nFft, hop, true, PadMode.Reflect));
        Assert.Equal(1 + 1000 / hop, s.GetLength(1));
        foreach (var t in new[] { 0, 1, 25, 50 })
        {
            foreach (var f in new[] { 0, 3, 17, 32 })
            {
                double re = 0, im = 0;
                for (var j = 0; j < nFft; j++)
                {
                    var i = t * hop - nFft / 2 + j;
                    if (i < 0) i = -i;
                    if (i >= x.Length) i = 2 * (x.Length - 1) - i;
                    var w = 0.5 - 0.5 * Math.Cos(2 * Math.PI * j / nFft);
                    re += w * x[i] * Math.Cos(2 * Math.PI * f * j / nFft);
                    im -= w * x[i] * Math.Sin(2 * Math.PI * f * j / nFft);
                }
                var expected = Math.Log(Math.Sqrt(re * re + im * im) + 1e-7);
                Assert.True(Math.Abs(s[f, t] - expected) < 1e-4, $"frame {t} bin {f}: {s[f, t]} vs {expected}");
            }
        }
    }

    [Fact]
    public void UncentredFramesFollowLibrosasCount()
    {
        using var scope = NewDisposeScope();
        var s = LogSpectrogram.LogStft(new float[1000], 256, 128, center: false);
        Assert.Equal(new long[] { 129, 1 + (1000 - 256) / 128 }, s.shape);
        Assert.Throws<ArgumentException>(() => LogSpectrogram.LogStft(new float[100], 256, 128, center: false));
    }

    [Fact]
    public void CremaDFromA2p5SecondClipIs257By188()
    {
        var x = Sine(440, 16000, 40000, 0.5);
        using var scope = NewDisposeScope();
        var s = LogSpectrogram.CremaD(x, 16000);
        Assert.Equal(new long[] { 257, 188 }, s.shape);
        Assert.Equal(ScalarType.Float32, s.dtype);
        // 440 Hz at 22,050 Hz with n_fft 512 lies at bin 440 * 512 / 22050 = 10.2.
        var a = ToArray(s);
        var best = 0;
        for (var f = 0; f < 257; f++) if (a[f, 100] > a[best, 100]) best = f;
        Assert.Equal(10, best);
    }

    [Fact]
    public void CremaDTilesAShortClipAndZeroPadsTheRest()
    {
        // 0.5 s at 16 kHz -> 11,025 samples at 22,050 Hz -> tiled x3 = 33,075 samples, zero-padded to 66,150.
        var x = Sine(440, 16000, 8000, 0.5);
        using var scope = NewDisposeScope();
        var s = LogSpectrogram.CremaD(x, 16000);
        Assert.Equal(new long[] { 257, 188 }, s.shape);
        var a = ToArray(s);
        var silent = MathF.Log(1e-7f);
        // Frame t covers [353 t - 256, 353 t + 256): frames from t = 95 on lie wholly after sample 33,075.
        for (var t = 95; t < 188; t++)
            for (var f = 0; f < 257; f++) Assert.Equal(silent, a[f, t]);
        Assert.True(a[10, 50] > 0, $"tiled tone missing at frame 50: {a[10, 50]}");
    }

    [Fact]
    public void CremaDClipsToUnitRange()
    {
        using var scope = NewDisposeScope();
        var loud = ToArray(LogSpectrogram.CremaD(Enumerable.Repeat(3f, 22050).ToArray(), 22050));
        var unit = ToArray(LogSpectrogram.CremaD(Enumerable.Repeat(1f, 22050).ToArray(), 22050));
        Assert.Equal(unit[0, 50], loud[0, 50]);
        Assert.Equal((float)Math.Log(256 + 1e-7), loud[0, 50], 4);
    }
}
