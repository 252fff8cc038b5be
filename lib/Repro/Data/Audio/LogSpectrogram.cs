using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Data.Audio;

/// <summary>
/// Log-magnitude STFT front-ends, librosa's definition: frame t of a centred STFT covers samples
/// [t·hop − n_fft/2, t·hop + n_fft/2) of the signal, weighted by a periodic Hann window, and the value is
/// log(|S| + 1e-7).
/// </summary>
public static class LogSpectrogram
{
    public const int CremaDSampleRate = 22050;
    public const int CremaDSamples = 3 * CremaDSampleRate;
    public const int CremaDNFft = 512;
    public const int CremaDHop = 353;
    public const float LogFloor = 1e-7f;

    /// <summary>
    /// The CREMA-D audio input of OGM-GE and DGL (their dataset/CramedDataset.py), a (257, 188) float32 tensor:
    /// resample to 22,050 Hz (<see cref="Resampler"/>, librosa.load's default before 0.10), np.tile(x, 3)[:66150],
    /// clip to [−1, 1], librosa.stft(n_fft=512, hop_length=353, window='hann', center=True), log(|S| + 1e-7).
    /// OGM-GE ran librosa 0.8–0.9, whose stft pads the centred signal with <see cref="PadMode.Reflect"/>, the default here.
    /// </summary>
    /// <remarks>
    /// Deviation: a clip shorter than 1 s gives OGM-GE fewer than 66,150 tiled samples and so fewer frames. Here the
    /// tiled signal is zero-padded at the end to 66,150 samples so the shape is always (257, 188). CREMA-D clips are
    /// all longer than 1 s, so the released data never hits this case.
    /// </remarks>
    public static Tensor CremaD(float[] mono, int sampleRate, PadMode pad = PadMode.Reflect)
    {
        ArgumentNullException.ThrowIfNull(mono);
        if (mono.Length == 0) throw new ArgumentException("CREMA-D clip has no samples; expected a non-empty mono signal", nameof(mono));
        var y = sampleRate == CremaDSampleRate ? mono : Resampler.Resample(mono, sampleRate, CremaDSampleRate);
        var tiled = new float[CremaDSamples];
        var n = Math.Min(CremaDSamples, 3 * y.Length);
        for (var i = 0; i < n; i++) tiled[i] = Math.Clamp(y[i % y.Length], -1f, 1f);
        return LogStft(tiled, CremaDNFft, CremaDHop, center: true, pad);
    }

    public const int DglSampleRate = 16000, DglNFft = 256, DglHop = 128, DglSeconds = 5, DglTileSeconds = 10;

    /// <summary>(frequency, time) of <see cref="Dgl"/>: (129, 626).</summary>
    public static readonly long[] DglShape = [DglNFft / 2 + 1, DglSeconds * DglSampleRate / DglHop + 1];

    /// <summary>
    /// The audio input of DGL's (and MLA's) Kinetics-Sounds and VGGSound loaders, a (129, 626) float32 tensor: 16 kHz
    /// mono, tiled to at least 10 s, a 5 s window (a random start when <paramref name="randomCrop"/> is given, else the
    /// first 5 s), log(|STFT| + 1e-7) with n_fft 256 and hop 128.
    /// </summary>
    /// <remarks>
    /// The official loaders double the signal until it lasts 10 s and draw the start in [0, 5 s], also when evaluating;
    /// here the signal is repeated to the first whole number of copies lasting 10 s and the start drawn over the whole
    /// tiled signal, which is the same for the 10 s clips of both datasets; evaluation reads the first 5 s.
    /// </remarks>
    public static Tensor Dgl(float[] mono, int sampleRate, Rng? randomCrop)
    {
        ArgumentNullException.ThrowIfNull(mono);
        if (mono.Length == 0) throw new ArgumentException("clip has no samples; expected a non-empty mono signal", nameof(mono));
        var y = sampleRate == DglSampleRate ? mono : Resampler.Resample(mono, sampleRate, DglSampleRate);
        int minLen = DglTileSeconds * DglSampleRate, window = DglSeconds * DglSampleRate;
        int reps = (minLen + y.Length - 1) / y.Length;
        var tiled = new float[Math.Max(minLen, y.Length * reps)];
        for (int i = 0; i < tiled.Length; i++) tiled[i] = y[i % y.Length];
        int start = randomCrop is null ? 0 : randomCrop.NextInt(tiled.Length - window + 1);
        return LogStft(tiled[start..(start + window)], DglNFft, DglHop);
    }

    /// <summary><see cref="Dgl(float[], int, Rng?)"/> of a WAV file.</summary>
    public static Tensor Dgl(string wavPath, Rng? randomCrop)
    {
        var wav = WavFile.Read(wavPath);
        var y = wav.Mono();
        if (y.Length == 0) throw new InvalidDataException($"{wavPath}: audio has no samples.");
        return Dgl(y, wav.SampleRate, randomCrop);
    }

    /// <summary>
    /// log(|STFT(x)| + 1e-7) as librosa.stft computes it with window='hann' (scipy get_window('hann', fftbins=True),
    /// i.e. periodic) and win_length = n_fft: a (n_fft/2 + 1, frames) float32 tensor, frames = 1 + (len − n_fft)/hop
    /// on the (padded, when <paramref name="center"/>) signal. <paramref name="pad"/> picks librosa's pad_mode: reflect
    /// before librosa 0.10, constant (zeros) from 0.10. The FFT runs in float64 like librosa's (its window is float64),
    /// and the magnitude is rounded to float32 before the log as librosa's complex64 output is.
    /// </summary>
    public static Tensor LogStft(float[] x, int nFft, int hop, bool center = true, PadMode pad = PadMode.Reflect)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (nFft < 2) throw new ArgumentOutOfRangeException(nameof(nFft), nFft, "n_fft must be at least 2");
        if (hop < 1) throw new ArgumentOutOfRangeException(nameof(hop), hop, "hop length must be at least 1");
        if (x.Length == 0) throw new ArgumentException("signal has no samples", nameof(x));
        var signal = center ? Pad(x, nFft / 2, pad) : Array.ConvertAll(x, v => (double)v);
        if (signal.Length < nFft)
            throw new ArgumentException($"signal of {x.Length} samples is shorter than n_fft = {nFft} (center = false)", nameof(x));

        using var scope = torch.NewDisposeScope();
        var frames = torch.tensor(signal).unfold(0, nFft, hop);
        var window = torch.hann_window(nFft, periodic: true, dtype: ScalarType.Float64);
        var magnitude = torch.fft.rfft(frames * window, dim: 1).abs().to(ScalarType.Float32);
        // a held Scalar: this runs per training sample, where an implicit float -> Scalar can race TorchSharp's finalizer
        using var floor = LogFloor.ToScalar();
        return (magnitude + floor).log().t().contiguous().MoveToOuterDisposeScope();
    }

    // numpy.pad(x, p, mode); reflect folds back and forth when p exceeds the signal length, as numpy does.
    static double[] Pad(float[] x, int p, PadMode mode)
    {
        var n = x.Length;
        var y = new double[n + 2 * p];
        for (var i = 0; i < n; i++) y[p + i] = x[i];
        if (mode == PadMode.Constant) return y;
        if (n == 1)
        {
            Array.Fill(y, x[0]);
            return y;
        }
        var period = 2 * (n - 1);
        for (var i = 0; i < p; i++)
        {
            y[i] = x[Reflect(i - p, n, period)];
            y[p + n + i] = x[Reflect(n + i, n, period)];
        }
        return y;
    }

    static int Reflect(int i, int n, int period)
    {
        var m = ((i % period) + period) % period;
        return m < n ? m : period - m;
    }
}
