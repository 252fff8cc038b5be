using Repro.Data.CremaD;

namespace Repro.Data.VggSound;

/// <summary>How the 309 label names of the CSV are numbered.</summary>
public enum VggSoundClassOrder
{
    /// <summary>The distinct labels of the whole CSV in ordinal order: the same numbering on every copy (kit default; the paper names none).</summary>
    Sorted,
    /// <summary>
    /// The official loaders' (OGM-GE, DGL): in the order each label's first usable training clip appears in the CSV, so
    /// the numbering depends on which clips a copy holds.
    /// </summary>
    Official,
}

/// <summary>Input settings of the VGGSound loader; the defaults follow DGL's setting (3 frames per clip, 224 pixels).</summary>
public sealed record VggSoundOptions
{
    /// <summary>Frames per clip (DGL: 3); a clip whose frame folder holds fewer cannot be used, as in DGL's loader.</summary>
    public int Frames { get; init; } = 3;
    /// <summary>Which frames of the sorted folder (evenly spaced by default; DGL reads the first three of an unsorted listing).</summary>
    public FrameSelection FrameSelection { get; init; } = FrameSelection.Uniform;
    public int ImageSize { get; init; } = 224;
    public VggSoundClassOrder ClassOrder { get; init; } = VggSoundClassOrder.Sorted;
    /// <summary>Optional (rows, cols) the 129 x 626 spectrogram is resized to (bilinear, antialiased): a kit setting for small CPU profiles.</summary>
    public (int Rows, int Cols)? AudioSize { get; init; }
    public bool CacheAudio { get; init; } = true;
    public bool CacheFrames { get; init; }
    public MissingFilePolicy MissingFiles { get; init; } = MissingFilePolicy.Error;
}
