namespace Repro.Data.Audio;

/// <summary>
/// Options of <see cref="KaldiFbank.Compute"/>, named after torchaudio.compliance.kaldi.fbank's arguments (Kaldi's
/// compute-fbank-feats). The defaults are those of the AST / Kinetics-Sounds fbank (num_mel_bins 128, hanning window,
/// htk_compat, dither 0); they differ from torchaudio's own defaults (23 bins, povey window, energy_floor 1) where the
/// papers' code overrides them. Dither must be 0: the kit's features are deterministic.
/// </summary>
/// <param name="Window">"hanning" (0.5 − 0.5 cos(2πn/(N−1))), "povey" (hanning^0.85), "hamming", "rectangular" or "blackman".</param>
/// <param name="HighFreq">Upper edge of the mel banks in Hz; 0 means the Nyquist frequency, a negative value an offset below it.</param>
/// <param name="EnergyFloor">Floor of the log-energy column (only with <paramref name="UseEnergy"/>); 0 means none.</param>
/// <param name="RawEnergy">Energy taken before pre-emphasis and windowing (only with <paramref name="UseEnergy"/>).</param>
public sealed record FbankOptions(
    int NumMelBins = 128,
    double FrameLengthMs = 25.0,
    double FrameShiftMs = 10.0,
    double Dither = 0.0,
    double Preemphasis = 0.97,
    bool RemoveDcOffset = true,
    string Window = "hanning",
    bool HtkCompat = true,
    bool UseEnergy = false,
    double LowFreq = 20.0,
    double HighFreq = 0.0,
    bool SnipEdges = true,
    bool UseLogFbank = true,
    bool UsePower = true,
    bool RoundToPowerOfTwo = true,
    double EnergyFloor = 0.0,
    bool RawEnergy = true);
