namespace Repro.Data.Audio;

/// <summary>
/// How a centred STFT extends the signal by n_fft/2 samples at each end (numpy.pad modes, as librosa.stft uses them).
/// librosa before 0.10 pads with <see cref="Reflect"/>; from 0.10 the default is <see cref="Constant"/> (zeros).
/// </summary>
public enum PadMode
{
    /// <summary>numpy.pad(mode='reflect'): mirror about the end samples, which are not repeated (x[2], x[1] | x[0], x[1], ...).</summary>
    Reflect,

    /// <summary>numpy.pad(mode='constant'): zeros.</summary>
    Constant,
}
