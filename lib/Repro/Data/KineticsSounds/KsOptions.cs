using Repro.Data.CremaD;

namespace Repro.Data.KineticsSounds;

/// <summary>A Kinetics-Sounds protocol: which lists and folders, and which audio front-end (docs/datasets.md#ks).</summary>
public enum KsProtocol
{
    /// <summary>OGM-GE: my_train.txt / my_test.txt (`clip,10,label`, 14,799 / 2,597), 31 classes whose names the user supplies
    /// in classes.txt; audio = Kaldi fbank (frames, 128) .npy written by `repro data prepare ks` (audio-fbank/), frames Image-01-FPS/&lt;clip&gt;/.</summary>
    OgmGe,
    /// <summary>DGL: class folders audio/{train,val}/&lt;class&gt;/&lt;clip&gt;.wav and visual/{train,val}_img/Image-01-FPS/&lt;class&gt;/&lt;clip&gt;/;
    /// test = Kinetics-400 val; audio = log-STFT at 16 kHz (n_fft 256, hop 128, 5 s: 129 x 626) computed from the WAV.</summary>
    Dgl,
}

/// <summary>Which audio feature the OGM-GE layout reads.</summary>
public enum KsAudioFeature
{
    /// <summary>Kaldi fbank (frames, 128) in audio-fbank/&lt;clip&gt;.npy (OGM-GE process_audio.py, MLA).</summary>
    Fbank,
    /// <summary>OGM-GE's STFT pickles: audio-stft/&lt;clip&gt;.pkl (a pickled NumPy array, 44.1 kHz, 10 s, n_fft 512, hop 440: 257 x 1003) or .npy, read as stored.</summary>
    Stft,
}

/// <summary>Input settings of the Kinetics-Sounds loader; defaults follow the protocols.</summary>
public sealed record KsOptions
{
    public int Frames { get; init; } = 3;
    public FrameSelection FrameSelection { get; init; } = FrameSelection.Uniform;
    public int ImageSize { get; init; } = 224;
    /// <summary>Fbank frames per clip (pad/crop target; 1024 in the papers). The .npy files must have this many rows.</summary>
    public int FbankFrames { get; init; } = 1024;
    /// <summary>The audio feature of the OGM-GE layout (fbank by default; STFT pickles as an option).</summary>
    public KsAudioFeature AudioFeature { get; init; } = KsAudioFeature.Fbank;
    /// <summary>Shape of the STFT files (257 x 1003 in OGM-GE's pickles).</summary>
    public (int Freq, int Time) StftShape { get; init; } = (257, 1003);
    /// <summary>OGM-GE's fbank normalisation (x + 4.503877) / (2 · 5.141276); MLA feeds the raw fbank.</summary>
    public bool NormalizeFbank { get; init; } = true;
    /// <summary>Classes of the OGM-GE lists when no classes.txt names them (31).</summary>
    public int NumClasses { get; init; } = 31;
    /// <summary>Optional (rows, cols) the audio feature is resized to (bilinear, antialiased): a kit setting for small CPU profiles.</summary>
    public (int Rows, int Cols)? AudioSize { get; init; }
    public bool CacheAudio { get; init; } = true;
    public bool CacheFrames { get; init; }
    public MissingFilePolicy MissingFiles { get; init; } = MissingFilePolicy.Error;
}
