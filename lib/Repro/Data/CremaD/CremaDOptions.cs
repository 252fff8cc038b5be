namespace Repro.Data.CremaD;

/// <summary>How frames are picked from a clip's sorted 1-fps frame folder.</summary>
public enum FrameSelection
{
    /// <summary>The first <c>Frames</c> files (OGM-GE, DGL; the official loaders take them from an unsorted listing, the kit sorts).</summary>
    First,
    /// <summary>Evenly spaced: file int(n/Frames * i) for i = 0..Frames-1 (MLA's loader).</summary>
    Uniform,
}

/// <summary>Input settings of the CREMA-D loader; the defaults are the OGM-GE protocol's.</summary>
public sealed record CremaDOptions
{
    public int Frames { get; init; } = 1;
    public FrameSelection FrameSelection { get; init; } = FrameSelection.First;
    /// <summary>Side of the square image after the transforms (224 in the papers).</summary>
    public int ImageSize { get; init; } = 224;
    /// <summary>
    /// Optional (frequency, time) size the 257x188 log-spectrogram is resized to (bilinear, antialiased): a kit setting
    /// for small CPU profiles, not part of any paper's pipeline. Null keeps 257x188.
    /// </summary>
    public (int Freq, int Time)? SpectrogramSize { get; init; }
    /// <summary>Rows of the fbank .npy files of protocols with fbank audio (1024 in MLA; the stand-ins write fewer).</summary>
    public int FbankFrames { get; init; } = 1024;
    /// <summary>Keep computed spectrograms (deterministic) in memory across epochs.</summary>
    public bool CacheAudio { get; init; } = true;
    /// <summary>Keep decoded frames in memory (the random train transform still runs every epoch).</summary>
    public bool CacheFrames { get; init; }
    public MissingFilePolicy MissingFiles { get; init; } = MissingFilePolicy.Error;
}
