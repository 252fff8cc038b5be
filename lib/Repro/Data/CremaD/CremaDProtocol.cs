namespace Repro.Data.CremaD;

/// <summary>
/// A CREMA-D protocol: which split lists, which label order, how frames are chosen (datasets.md, "CREMA-D").
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
    public string AudioFolder { get; init; } = "AudioWAV";
    public string FrameFolder { get; init; } = "Image-01-FPS";

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

    public static CremaDProtocol Named(string name) => name switch
    {
        "ogm-ge" => OgmGe,
        _ => throw new ArgumentException($"Unknown CREMA-D protocol '{name}'; known: ogm-ge."),
    };

    public int ClassIndex(string code, string file, int line)
    {
        int i = Array.IndexOf(ClassCodes, code);
        if (i < 0)
            throw new InvalidDataException($"{file}, line {line}: label '{code}' is not one of protocol {Name}'s labels ({string.Join(", ", ClassCodes)}).");
        return i;
    }
}
