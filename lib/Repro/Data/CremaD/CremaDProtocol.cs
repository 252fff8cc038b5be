namespace Repro.Data.CremaD;

/// <summary>
/// A CREMA-D protocol: which split lists, which label order, how frames are chosen (docs/datasets.md#cremad).
/// The same dataset has different splits and label orders in different codebases, so results name the protocol.
/// </summary>
public sealed record CremaDProtocol
{
    public required string Name { get; init; }
    /// <summary>Label codes (the third token of a clip name) in class-index order.</summary>
    public required string[] ClassCodes { get; init; }
    public required string[] ClassNames { get; init; }
    public required string TrainList { get; init; }
    public required string TestList { get; init; }
    /// <summary>Audio folder under the root; "{split}" stands for train or test.</summary>
    public string AudioFolder { get; init; } = "AudioWAV";
    /// <summary>Frame folder under the root; "{split}" stands for train or test.</summary>
    public string FrameFolder { get; init; } = "Image-01-FPS";
    public CremaDListFormat ListFormat { get; init; } = CremaDListFormat.OgmGeCsv;
    public CremaDAudioFormat AudioFormat { get; init; } = CremaDAudioFormat.Wav;
    /// <summary>The emotion code in clip names (1001_DFA_ANG_XX) per class, when the list labels differ from it (MLA's words).</summary>
    public string[]? NameCodes { get; init; }

    public string NameCode(int label) => (NameCodes ?? ClassCodes)[label];
    public string AudioPath(string root, string split, string name) =>
        Path.Combine(root, AudioFolder.Replace("{split}", split), name + (AudioFormat == CremaDAudioFormat.Wav ? ".wav" : ".npy"));
    public string FrameDirectory(string root, string split, string name) => Path.Combine(root, FrameFolder.Replace("{split}", split), name);

    /// <summary>
    /// OGM-GE (and DGL, BalanceBenchmark): train.csv / test.csv with lines `name,LABEL` (UTF-8 BOM, no header),
    /// 6,698 / 744 clips, labels NEU0 HAP1 SAD2 FEA3 DIS4 ANG5; frames from Image-01-FPS/&lt;name&gt;/.
    /// </summary>
    public static readonly CremaDProtocol OgmGe = new()
    {
        Name = "ogm-ge",
        ClassCodes = ["NEU", "HAP", "SAD", "FEA", "DIS", "ANG"],
        ClassNames = ["Neutral", "Happy", "Sad", "Fear", "Disgust", "Anger"],
        TrainList = "train.csv",
        TestList = "test.csv",
    };

    /// <summary>
    /// MLA (Cecile-hi/Multimodal-Learning-with-Alternating-Unimodal-Adaptation, dataset/dataset.py AVDataset): its own
    /// shuffle my_train_cre.txt / my_test_cre.txt with lines `1012_MTI_SAD_XX.flv Sad`, labels the sorted names of
    /// stat_cre.txt (Anger0 Disgust1 Fear2 Happy3 Neutral4 Sad5), audio = Kaldi fbank (1024, 128) .npy in
    /// audio/{split}_fbank/ (raw, not normalised), frames in visual/{split}_imgs/Image-01-FPS/&lt;name&gt;/, 3 frames at int(n/3·i).
    /// </summary>
    public static readonly CremaDProtocol Mla = new()
    {
        Name = "mla",
        ClassCodes = ["Anger", "Disgust", "Fear", "Happy", "Neutral", "Sad"],
        ClassNames = ["Anger", "Disgust", "Fear", "Happy", "Neutral", "Sad"],
        NameCodes = ["ANG", "DIS", "FEA", "HAP", "NEU", "SAD"],
        TrainList = "my_train_cre.txt",
        TestList = "my_test_cre.txt",
        AudioFolder = "audio/{split}_fbank",
        FrameFolder = "visual/{split}_imgs/Image-01-FPS",
        ListFormat = CremaDListFormat.MlaTxt,
        AudioFormat = CremaDAudioFormat.FbankNpy,
    };

    public static CremaDProtocol Named(string name) => name switch
    {
        "ogm-ge" => OgmGe,
        "mla" => Mla,
        _ => throw new ArgumentException($"Unknown CREMA-D protocol '{name}'; known: ogm-ge, mla."),
    };

    public int ClassIndex(string code, string file, int line)
    {
        int i = Array.IndexOf(ClassCodes, code);
        if (i < 0)
            throw new InvalidDataException($"{file}, line {line}: label '{code}' is not one of protocol {Name}'s labels ({string.Join(", ", ClassCodes)}).");
        return i;
    }
}

/// <summary>How a CREMA-D split list is written.</summary>
public enum CremaDListFormat
{
    /// <summary>`name,LABEL` per line, UTF-8 with BOM, no header (OGM-GE, DGL).</summary>
    OgmGeCsv,
    /// <summary>`name.flv Label` per line (MLA).</summary>
    MlaTxt,
}

/// <summary>What a CREMA-D protocol's audio files hold.</summary>
public enum CremaDAudioFormat
{
    /// <summary>The WAV files; the OGM-GE log-spectrogram is computed from them.</summary>
    Wav,
    /// <summary>Kaldi fbank (frames, 128) .npy per clip (MLA), read as stored.</summary>
    FbankNpy,
}
