using Repro.Data.Audio;
using Repro.Native;
using TorchSharp;
using Xunit.Abstractions;

namespace Repro.Tests.Data.Audio;

public class ResamplerTests
{
    readonly ITestOutputHelper _out;

    public ResamplerTests(ITestOutputHelper output)
    {
        _out = output;
        TorchRuntime.EnsureReady();
    }

    static float[] Sine(double freq, int rate, int n, double amp = 1.0) =>
        Enumerable.Range(0, n).Select(i => (float)(amp * Math.Sin(2 * Math.PI * freq * i / rate))).ToArray();

    static double[] MagnitudeSpectrum(float[] y)
    {
        using var scope = torch.NewDisposeScope();
        var spec = torch.fft.rfft(torch.tensor(Array.ConvertAll(y, v => (double)v))).abs();
        return spec.data<double>().ToArray();
    }

    [Fact]
    public void KeepsTheFrequencyAndAmplitudeOfASine()
    {
        var x = Sine(1000, 16000, 16000);
        var y = Resampler.Resample(x, 16000, 22050);
        Assert.Equal(22050, y.Length);

        var mag = MagnitudeSpectrum(y);
        var peak = Array.IndexOf(mag, mag.Max());
        Assert.Equal(1000, peak); // bin width 22050 / 22050 = 1 Hz

        const int edge = 200;
        double maxAbs = 0, maxErr = 0;
        for (var t = edge; t < y.Length - edge; t++)
        {
            maxAbs = Math.Max(maxAbs, Math.Abs(y[t]));
            maxErr = Math.Max(maxErr, Math.Abs(y[t] - Math.Sin(2 * Math.PI * 1000.0 * t / 22050)));
        }
        double maxErrNearEdge = 0;
        for (var t = 64; t < y.Length - 64; t++)
            maxErrNearEdge = Math.Max(maxErrNearEdge, Math.Abs(y[t] - Math.Sin(2 * Math.PI * 1000.0 * t / 22050)));
        _out.WriteLine($"1 kHz sine 16 kHz -> 22.05 kHz: interior peak {maxAbs:F6}, max |y - ideal| {maxErr:E3} (>= {edge} from the ends), {maxErrNearEdge:E3} (>= 64 from the ends)");
        Assert.InRange(maxAbs, 0.99, 1.01);
        Assert.True(maxErr < 1e-3, $"max error against the ideal sine {maxErr}");
    }

    [Fact]
    public void DownsamplingKeepsThePassBandAndRemovesContentAboveTheNewNyquist()
    {
        // 3 kHz passes; 12 kHz, above the new Nyquist, would fold to 16 - 12 = 4 kHz at full amplitude without the
        // anti-aliasing filter. Interior samples only: near the ends the filter runs off the signal.
        var pass = Resampler.Resample(Sine(3000, 44100, 44100), 44100, 16000);
        var stop = Resampler.Resample(Sine(12000, 44100, 44100), 44100, 16000);
        Assert.Equal(16000, pass.Length);
        var mag = MagnitudeSpectrum(pass);
        Assert.Equal(3000, Array.IndexOf(mag, mag.Max()));
        double passPeak = 0, stopPeak = 0;
        for (var t = 200; t < 16000 - 200; t++)
        {
            passPeak = Math.Max(passPeak, Math.Abs(pass[t]));
            stopPeak = Math.Max(stopPeak, Math.Abs(stop[t]));
        }
        // resampy's table step int(scale * 512) = 185 instead of 185.76 lifts the pass band by about 0.3% here.
        _out.WriteLine($"44.1 -> 16 kHz: 3 kHz interior peak {passPeak:F6}, 12 kHz interior peak {stopPeak:E3}");
        Assert.InRange(passPeak, 0.99, 1.01);
        Assert.True(stopPeak < 1e-3, $"12 kHz leaked through with amplitude {stopPeak}");
    }

    [Theory]
    [InlineData(16000, 16000, 22050, 22050)]
    [InlineData(1001, 16000, 22050, 1380)]
    [InlineData(1000, 44100, 16000, 363)]
    [InlineData(8000, 16000, 22050, 11025)]
    [InlineData(7, 3, 2, 5)]
    public void OutputLengthIsLibrosasCeiling(int n, int from, int to, int expected)
    {
        var y = Resampler.Resample(new float[n], from, to);
        Assert.Equal(expected, y.Length);
        Assert.Equal((int)Math.Ceiling(n * ((double)to / from)), y.Length);
    }

    [Fact]
    public void SamplesBeyondResampysLengthAreZeroPadding()
    {
        // resampy makes floor(1001 * 22050 / 16000) = 1379 samples; librosa's fix_length pads to 1380.
        var y = Resampler.Resample(Enumerable.Repeat(0.5f, 1001).ToArray(), 16000, 22050);
        Assert.Equal(1380, y.Length);
        Assert.Equal(0f, y[1379]);
        Assert.InRange(y[700], 0.49f, 0.51f);
    }

    [Fact]
    public void EqualRatesReturnAnIdenticalCopy()
    {
        var x = Sine(440, 16000, 500);
        var y = Resampler.Resample(x, 16000, 16000);
        Assert.NotSame(x, y);
        Assert.Equal(x, y);
    }

    [Fact]
    public void BadRatesAndTooShortInputsAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Resampler.Resample(new float[10], 0, 16000));
        Assert.Throws<ArgumentOutOfRangeException>(() => Resampler.Resample(new float[10], 16000, -1));
        var e = Assert.Throws<ArgumentException>(() => Resampler.Resample(new float[1], 44100, 8000));
        Assert.Contains("too short", e.Message);
    }
}
