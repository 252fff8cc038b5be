using Repro.Data.Audio;
using Repro.Native;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Repro.Tests.Data.Audio;

public class KaldiFbankTests
{
    readonly ITestOutputHelper _out;

    public KaldiFbankTests(ITestOutputHelper output)
    {
        _out = output;
        TorchRuntime.EnsureReady();
    }

    // Kept for the whole test class, so the tensors leave any dispose scope the first caller was in.
    static readonly Lazy<Dictionary<string, Tensor>> Reference = new(() =>
        Safetensors.Load(Path.Combine(TestPaths.Frontend, "frontend.safetensors")).ToDictionary(kv => kv.Key, kv => kv.Value.DetachFromDisposeScope()));

    static float[] Waveform(string name) =>
        KaldiFbank.SubtractWaveformMean(WavFile.Read(Path.Combine(TestPaths.Frontend, name + ".wav")).Mono());

    double MaxAbsError(Tensor actual, string name)
    {
        var expected = Reference.Value[name];
        var (shape, data) = (expected.shape, expected.contiguous().data<float>().ToArray());
        Assert.Equal(shape, actual.shape);
        var a = actual.contiguous().data<float>().ToArray();
        double worst = 0, sum = 0;
        var at = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var e = Math.Abs(a[i] - data[i]);
            sum += e;
            if (e > worst) (worst, at) = (e, i);
        }
        var cols = (int)shape[1];
        _out.WriteLine($"{name} [{string.Join(", ", shape)}]: max |error| = {worst:E3} at frame {at / cols}, bin {at % cols} " +
                       $"(reference {data[at]:F4}), mean |error| = {sum / a.Length:E3}");
        return worst;
    }

    [Theory]
    [InlineData("chirp-16k-2.5s", 248)]
    [InlineData("chirp-16k-11s", 1098)]
    public void MatchesTorchaudioReference(string name, int frames)
    {
        using var scope = NewDisposeScope();
        var fbank = KaldiFbank.Compute(Waveform(name), 16000, new FbankOptions());
        Assert.Equal(new long[] { frames, 128 }, fbank.shape);
        Assert.Equal(ScalarType.Float32, fbank.dtype);
        Assert.True(MaxAbsError(fbank, $"{name}/fbank_raw") <= 5e-3);

        var padded = KaldiFbank.PadOrCrop(fbank, 1024);
        Assert.True(MaxAbsError(padded, $"{name}/fbank_1024") <= 5e-3);

        var normed = KaldiFbank.Normalize(padded, KaldiFbank.AstAudioSetMean, KaldiFbank.AstAudioSetStd);
        Assert.True(MaxAbsError(normed, $"{name}/fbank_1024_ast_norm") <= 5e-3);
    }

    [Fact]
    public void WithoutMeanRemovalTheResultDiffers()
    {
        // The fixture's waveform carries a DC offset; per-frame DC removal takes most of it, pre-emphasis leaves a trace.
        using var scope = NewDisposeScope();
        var raw = WavFile.Read(Path.Combine(TestPaths.Frontend, "chirp-16k-2.5s.wav")).Mono();
        var withMean = KaldiFbank.Compute(raw, 16000, new FbankOptions());
        var withoutMean = KaldiFbank.Compute(KaldiFbank.SubtractWaveformMean(raw), 16000, new FbankOptions());
        Assert.Equal(withMean.shape, withoutMean.shape);
        Assert.False(withMean.allclose(withoutMean, rtol: 0, atol: 1e-6));
        Assert.InRange(raw.Average(), 0.049, 0.051); // Python's wave module: mean of int16 / 32768 = 0.050228
        Assert.Equal(raw[0] - raw.Average(), KaldiFbank.SubtractWaveformMean(raw)[0], 6);
        Assert.True(Math.Abs(KaldiFbank.SubtractWaveformMean(raw).Average()) < 1e-6);
    }

    [Fact]
    public void PadOrCropPadsZerosAtTheEndAndCropsFromTheStart()
    {
        using var scope = NewDisposeScope();
        var x = arange(12, dtype: ScalarType.Float32).reshape(4, 3);
        var p = KaldiFbank.PadOrCrop(x, 6);
        Assert.Equal(new long[] { 6, 3 }, p.shape);
        Assert.True(p[0..4].equal(x).all().item<bool>());
        Assert.Equal(0f, p[4..].abs().sum().item<float>());
        var c = KaldiFbank.PadOrCrop(x, 2);
        Assert.Equal(new float[] { 0, 1, 2, 3, 4, 5 }, c.data<float>().ToArray());
    }

    [Fact]
    public void NormalizeDividesByTwiceTheStd()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new float[] { -4.503877f, 5.141276f * 2 - 4.503877f });
        var y = KaldiFbank.Normalize(x, KaldiFbank.OgmGeKineticsSoundsMean, KaldiFbank.OgmGeKineticsSoundsStd).data<float>().ToArray();
        Assert.Equal(0f, y[0], 5);
        Assert.Equal(1f, y[1], 5);
    }

    [Fact]
    public void FrameCountsFollowSnipEdges()
    {
        using var scope = NewDisposeScope();
        var w = Enumerable.Range(0, 1000).Select(i => (float)Math.Sin(i * 0.1)).ToArray();
        Assert.Equal(1 + (1000 - 400) / 160, (int)KaldiFbank.Compute(w, 16000, new FbankOptions()).shape[0]);
        Assert.Equal((1000 + 80) / 160, (int)KaldiFbank.Compute(w, 16000, new FbankOptions(SnipEdges: false)).shape[0]);
        Assert.Equal(new long[] { 0, 128 }, KaldiFbank.Compute(new float[399], 16000, new FbankOptions()).shape);
        Assert.Equal(new long[] { 4, 24 }, KaldiFbank.Compute(w, 16000, new FbankOptions(NumMelBins: 23, UseEnergy: true)).shape);
    }

    [Fact]
    public void BadOptionsNameTheField()
    {
        var w = new float[1000];
        Assert.Contains("Window", Assert.Throws<ArgumentException>(() => KaldiFbank.Compute(w, 16000, new FbankOptions(Window: "kaiser"))).Message);
        Assert.Contains("Dither", Assert.Throws<ArgumentException>(() => KaldiFbank.Compute(w, 16000, new FbankOptions(Dither: 1))).Message);
        Assert.Contains("HighFreq", Assert.Throws<ArgumentException>(() => KaldiFbank.Compute(w, 16000, new FbankOptions(HighFreq: 9000))).Message);
        Assert.Contains("NumMelBins", Assert.Throws<ArgumentException>(() => KaldiFbank.Compute(w, 16000, new FbankOptions(NumMelBins: 3))).Message);
    }
}
