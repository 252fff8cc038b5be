using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Data.Audio;

/// <summary>
/// Kaldi-compatible log mel filterbank features, computed as torchaudio.compliance.kaldi.fbank does (float32,
/// the same sequence of tensor operations), plus the padding and normalisation steps of AST-style front-ends.
/// </summary>
public static class KaldiFbank
{
    /// <summary>AST's AudioSet fbank statistics (ast/src/run.py: dataset_mean, dataset_std).</summary>
    public const float AstAudioSetMean = -4.2677393f;
    public const float AstAudioSetStd = 4.5689974f;

    /// <summary>OGM-GE's Kinetics-Sounds fbank statistics: (x + 4.503877) / (2 · 5.141276).</summary>
    public const float OgmGeKineticsSoundsMean = -4.503877f;
    public const float OgmGeKineticsSoundsStd = 5.141276f;

    // torch.finfo(torch.float32).eps, torchaudio's _get_epsilon: the floor of the log.
    const float FloatEpsilon = 1.1920929e-07f;

    /// <summary>
    /// The waveform minus its mean (AST's dataloader: waveform - waveform.mean(), before fbank). A separate step so
    /// callers choose; not to be confused with torchaudio's subtract_mean option, which removes the per-bin mean of
    /// the features.
    /// </summary>
    public static float[] SubtractWaveformMean(float[] waveform)
    {
        ArgumentNullException.ThrowIfNull(waveform);
        if (waveform.Length == 0) return [];
        double sum = 0;
        foreach (var v in waveform) sum += v;
        var mean = (float)(sum / waveform.Length);
        var y = new float[waveform.Length];
        for (var i = 0; i < y.Length; i++) y[i] = waveform[i] - mean;
        return y;
    }

    /// <summary>
    /// torchaudio.compliance.kaldi.fbank(waveform, sample_frequency=sampleRate, ...): a (frames, num_mel_bins) float32
    /// tensor, one more column when <see cref="FbankOptions.UseEnergy"/> (last with htk_compat, else first). With
    /// snip_edges, frames = 1 + (n − window)/shift, and a waveform shorter than one window gives (0, columns).
    /// </summary>
    public static Tensor Compute(float[] waveform, int sampleRate, FbankOptions o)
    {
        ArgumentNullException.ThrowIfNull(waveform);
        ArgumentNullException.ThrowIfNull(o);
        if (sampleRate <= 0) throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "sample rate must be positive");
        if (o.Dither != 0) throw new ArgumentException($"FbankOptions.Dither is {o.Dither}; expected 0 (the kit's features are deterministic)", nameof(o));
        if (o.NumMelBins <= 3) throw new ArgumentException($"FbankOptions.NumMelBins is {o.NumMelBins}; expected more than 3", nameof(o));

        // torchaudio _get_waveform_and_window_properties (same operation order, so the same truncation)
        double sf = sampleRate;
        var shift = (int)(sf * o.FrameShiftMs * 0.001);
        var size = (int)(sf * o.FrameLengthMs * 0.001);
        if (size < 2) throw new ArgumentException($"FbankOptions.FrameLengthMs {o.FrameLengthMs} gives a window of {size} samples at {sampleRate} Hz; expected at least 2", nameof(o));
        if (shift < 1) throw new ArgumentException($"FbankOptions.FrameShiftMs {o.FrameShiftMs} gives a shift of {shift} samples at {sampleRate} Hz; expected at least 1", nameof(o));
        var padded = o.RoundToPowerOfTwo ? NextPowerOfTwo(size) : size;
        if (padded % 2 != 0) throw new ArgumentException($"FFT size {padded} is odd (RoundToPowerOfTwo false, window {size}); expected an even size", nameof(o));
        var columns = o.NumMelBins + (o.UseEnergy ? 1 : 0);

        using var scope = torch.NewDisposeScope();
        var melBanks = Cached(MelBankCache, (o.NumMelBins, o.LowFreq, o.HighFreq, sf, padded), () => MelBanks(o, sf, padded));
        var window = Cached(WindowCache, (o.Window, size), () => Window(o, size));

        var (frameData, m) = Frames(waveform, size, shift, o.SnipEdges);
        if (m == 0) return torch.zeros(0, columns, dtype: ScalarType.Float32).MoveToOuterDisposeScope();
        var x = torch.tensor(frameData, new long[] { m, size });
        var eps = torch.tensor(FloatEpsilon);

        // torchaudio _get_window
        if (o.RemoveDcOffset) x = x - x.mean(new long[] { 1 }, keepdim: true);
        Tensor? logEnergy = null;
        if (o.UseEnergy && o.RawEnergy) logEnergy = LogEnergy(x, eps, o.EnergyFloor);
        if (o.Preemphasis != 0)
        {
            var previous = torch.cat(new[] { x[.., 0..1], x[.., 0..^1] }, 1);
            using var preemphasis = o.Preemphasis.ToScalar();
            x = x - previous.mul(preemphasis);
        }
        x = x * window.unsqueeze(0);
        if (padded != size) x = nn.functional.pad(x, new long[] { 0, padded - size });
        if (o.UseEnergy && !o.RawEnergy) logEnergy = LogEnergy(x, eps, o.EnergyFloor);

        var spectrum = torch.fft.rfft(x).abs();
        if (o.UsePower) spectrum = spectrum.pow(Two);
        var energies = torch.mm(spectrum, melBanks.t());
        if (o.UseLogFbank) energies = torch.maximum(energies, eps).log();
        if (logEnergy is not null)
        {
            var e = logEnergy.unsqueeze(1);
            energies = o.HtkCompat ? torch.cat(new[] { energies, e }, 1) : torch.cat(new[] { e, energies }, 1);
        }
        return energies.contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>Zero-pads at the end or crops to <paramref name="frames"/> rows (AST dataloader: ZeroPad2d / fbank[0:target_length]).</summary>
    public static Tensor PadOrCrop(Tensor fbank, int frames)
    {
        ArgumentNullException.ThrowIfNull(fbank);
        if (fbank.dim() != 2) throw new ArgumentException($"fbank has shape [{string.Join(", ", fbank.shape)}]; expected (frames, bins)", nameof(fbank));
        if (frames < 0) throw new ArgumentOutOfRangeException(nameof(frames), frames, "frame count must be non-negative");
        using var scope = torch.NewDisposeScope();
        var n = fbank.shape[0];
        var result = n < frames
            ? nn.functional.pad(fbank, new long[] { 0, 0, 0, frames - n })
            : fbank[0..frames, ..].contiguous();
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>(x − mean) / (2 · std), AST's and OGM-GE's fbank normalisation; see the named statistics above.</summary>
    public static Tensor Normalize(Tensor fbank, float mean, float std)
    {
        ArgumentNullException.ThrowIfNull(fbank);
        if (!(std > 0)) throw new ArgumentOutOfRangeException(nameof(std), std, "standard deviation must be positive");
        using var scope = torch.NewDisposeScope();
        return ((fbank - (double)mean) / (2.0 * std)).MoveToOuterDisposeScope();
    }

    // torchaudio _get_strided: snip_edges keeps whole windows only; otherwise frames are centred on
    // multiples of the shift and the signal is reflected at the edges, edge sample repeated (Kaldi feature-window.cc).
    static (float[] data, int frames) Frames(float[] w, int size, int shift, bool snipEdges)
    {
        var n = w.Length;
        int m, start0;
        if (snipEdges)
        {
            if (n < size) return ([], 0);
            m = 1 + (n - size) / shift;
            start0 = 0;
        }
        else
        {
            m = (n + shift / 2) / shift;
            start0 = shift / 2 - size / 2;
        }
        var data = new float[(long)m * size];
        for (var f = 0; f < m; f++)
        {
            var start = start0 + f * shift;
            for (var j = 0; j < size; j++)
            {
                var s = start + j;
                if (s < 0) s = -s - 1;
                else if (s >= n) s = 2 * n - 1 - s;
                data[f * size + j] = w[s];
            }
        }
        return (data, m);
    }

    static Tensor LogEnergy(Tensor x, Tensor eps, double energyFloor)
    {
        var e = torch.maximum(x.pow(SquareInt).sum(1), eps).log();
        return energyFloor == 0 ? e : torch.maximum(e, torch.tensor((float)Math.Log(energyFloor)));
    }

    // The filter bank and the window depend only on the options, and computing them per clip passed a dozen double
    // arguments to libtorch as temporary Scalars, which a garbage collection on another thread can free mid-call
    // (environment.md, "Temporary scalars"): each is computed once per setting, then copied.
    static readonly System.Collections.Concurrent.ConcurrentDictionary<object, (float[] Values, long[] Shape)> MelBankCache = new(), WindowCache = new();
    static readonly Scalar Two = 2.0.ToScalar(), SquareInt = 2.ToScalar();

    static Tensor Cached(System.Collections.Concurrent.ConcurrentDictionary<object, (float[] Values, long[] Shape)> cache, object key, Func<Tensor> compute)
    {
        var (values, shape) = cache.GetOrAdd(key, _ =>
        {
            using var scope = torch.NewDisposeScope();
            var t = compute().contiguous();
            return (t.data<float>().ToArray(), t.shape);
        });
        return torch.tensor(values, shape);
    }

    // torchaudio _feature_window_function
    static Tensor Window(FbankOptions o, int size) => o.Window switch
    {
        "hanning" => torch.hann_window(size, periodic: false, dtype: ScalarType.Float32),
        "povey" => torch.hann_window(size, periodic: false, dtype: ScalarType.Float32).pow(0.85),
        "hamming" => torch.hamming_window(size, periodic: false, alpha: 0.54f, beta: 0.46f, dtype: ScalarType.Float32),
        "rectangular" => torch.ones(size, dtype: ScalarType.Float32),
        "blackman" => Blackman(size),
        _ => throw new ArgumentException($"FbankOptions.Window is '{o.Window}'; expected hanning, povey, hamming, rectangular or blackman", nameof(o)),
    };

    static Tensor Blackman(int size)
    {
        const double coeff = 0.42;
        var a = 2 * Math.PI / (size - 1);
        var n = torch.arange(size, dtype: ScalarType.Float32);
        return coeff - 0.5 * torch.cos(a * n) + (0.5 - coeff) * torch.cos(2 * a * n);
    }

    // torchaudio get_mel_banks (vtln_warp 1), in float32 as there; the extra zero column is the Nyquist bin.
    static Tensor MelBanks(FbankOptions o, double sf, int padded)
    {
        var bins = o.NumMelBins;
        var nyquist = 0.5 * sf;
        var low = o.LowFreq;
        var high = o.HighFreq <= 0 ? o.HighFreq + nyquist : o.HighFreq;
        if (!(low >= 0 && low < nyquist))
            throw new ArgumentException($"FbankOptions.LowFreq is {low} Hz; expected 0 <= low < Nyquist ({nyquist} Hz)", nameof(o));
        if (!(high > 0 && high <= nyquist && low < high))
            throw new ArgumentException($"FbankOptions.HighFreq resolves to {high} Hz; expected LowFreq ({low}) < high <= Nyquist ({nyquist} Hz)", nameof(o));

        var fftBinWidth = sf / padded;
        var melLow = MelScale(low);
        var melHigh = MelScale(high);
        var melDelta = (melHigh - melLow) / (bins + 1);

        var bin = torch.arange(bins, dtype: ScalarType.Float32).unsqueeze(1);
        var leftMel = bin * melDelta + melLow;
        var centerMel = (bin + 1.0) * melDelta + melLow;
        var rightMel = (bin + 2.0) * melDelta + melLow;
        var freqs = torch.arange(padded / 2, dtype: ScalarType.Float32) * fftBinWidth;
        var mel = ((freqs / 700.0 + 1.0).log() * 1127.0).unsqueeze(0);
        var up = (mel - leftMel) / (centerMel - leftMel);
        var down = (rightMel - mel) / (rightMel - centerMel);
        var banks = torch.clamp_min(torch.minimum(up, down), 0.0);
        return nn.functional.pad(banks, new long[] { 0, 1 });
    }

    // Kaldi mel-computations.h MelScale: 1127 ln(1 + f/700)
    static double MelScale(double f) => 1127.0 * Math.Log(1.0 + f / 700.0);

    static int NextPowerOfTwo(int x)
    {
        var p = 1;
        while (p < x) p <<= 1;
        return p;
    }
}
