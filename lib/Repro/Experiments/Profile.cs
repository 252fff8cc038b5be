using Repro.Training;

namespace Repro.Experiments;

/// <summary>
/// A profile scales data, model and schedule together: `smoke` (seconds, for CI), `embedded` (the default: minutes on
/// two CPU cores on the embedded stand-ins, enough to show the phenomena), `paper` (the papers' settings, for real data
/// on a GPU). Profiles are data; commands take `--profile`.
/// </summary>
public sealed record Profile
{
    public required string Name { get; init; }
    public required string Description { get; init; }
    /// <summary>Stand-in size (examples per class in train and test); ignored for real data.</summary>
    public int StandInTrainPerClass { get; init; }
    public int StandInTestPerClass { get; init; }
    /// <summary>ResNet stem width (64 in the papers; features are 8x wider).</summary>
    public int EncoderWidth { get; init; } = 64;
    public int ImageSize { get; init; } = 224;
    public (int Freq, int Time)? SpectrogramSize { get; init; }
    public bool CacheFrames { get; init; }
    /// <summary>Optional (frames, bins) the Kaldi fbank inputs (Kinetics-Sounds, CREMA-D MLA) are resized to; null keeps (1024, 128).</summary>
    public (int Frames, int Bins)? FbankSize { get; init; }
    /// <summary>Token ids per text (Food-101, MM-IMDb, MVSA); null keeps the protocol's (40 / 256 / 256).</summary>
    public int? TextLength { get; init; }
    /// <summary>Embedding and hidden width of the small text encoder (TokenMeanPool).</summary>
    public int TextEmbedding { get; init; } = 128;
    /// <summary>Hidden and output width of the pre-extracted-feature encoders (FeatureMlp; 128 in MLA's appendix).</summary>
    public int FeatureHidden { get; init; } = 128;
    public double ValidationFraction { get; init; } = 0.1;
    public int Seeds { get; init; } = 1;
    public required TrainConfig Train { get; init; }
    /// <summary>What a lesson's verdict must say first under this profile; empty when its runs are long enough to judge a method.</summary>
    public string Caveat { get; init; } = "";
    /// <summary>How much of a paper table the profile runs (tables choose their rows, folds and seeds by it).</summary>
    public TableCoverage Coverage { get; init; } = TableCoverage.Full;
    /// <summary>
    /// True when the profile trains with the papers' schedules (tens of thousands of steps); false for the CPU profiles'
    /// few hundred steps, under which a table may change a setting the papers tuned for long runs (U2A's learning rate).
    /// </summary>
    public bool PaperSchedules { get; init; }
    /// <summary>True when the profile's runs may load the published full-size encoders (U2A's ViT-B/16 and AST, encoders=paper).</summary>
    public bool PublishedEncoders { get; init; }
    /// <summary>Epochs of the stand-in encoders' pretraining (u2a-pretrain) when the stand-in is too small for its default; null keeps the default.</summary>
    public int? PretrainingEpochs { get; init; }

    public static readonly Profile Smoke = new()
    {
        Name = "smoke",
        Description = "seconds: a tiny stand-in and two epochs, to check that everything runs (CI)",
        StandInTrainPerClass = 10, StandInTestPerClass = 4,
        EncoderWidth = 4, ImageSize = 32, SpectrogramSize = (64, 47), CacheFrames = true,
        FbankSize = (64, 32), TextLength = 16, TextEmbedding = 16, FeatureHidden = 32,
        ValidationFraction = 0.2,
        Coverage = TableCoverage.Sample,
        PretrainingEpochs = 40,   // a few dozen samples, four steps an epoch: more epochs to leave chance
        Caveat = "Smoke profile (2 epochs on 60 clips): these numbers only show that the code runs; they say nothing about the methods.",
        Train = new TrainConfig { Epochs = 2, BatchSize = 16, Lr = LrSchedule.Step(0.02, 10, 0.1) },
    };

    public static readonly Profile Embedded = new()
    {
        Name = "embedded",
        Description = "minutes on 2 CPU cores: the embedded stand-in, small encoders, enough epochs to show modality laziness",
        StandInTrainPerClass = 100, StandInTestPerClass = 40,
        EncoderWidth = 8, ImageSize = 48, SpectrogramSize = (128, 94), CacheFrames = true,
        FbankSize = (128, 64), TextLength = 24, TextEmbedding = 32, FeatureHidden = 128,
        ValidationFraction = 0.1,
        Coverage = TableCoverage.Subset,
        Train = new TrainConfig { Epochs = 25, BatchSize = 32, Lr = LrSchedule.Step(0.03, 20, 0.1) },
    };

    public static readonly Profile Paper = new()
    {
        Name = "paper",
        Description = "the papers' settings (ResNet-18 at width 64, 224x224 frames, 257x188 spectrograms, SGD 1e-3, 100 epochs, 3 seeds): real data on a GPU",
        StandInTrainPerClass = 100, StandInTestPerClass = 40,
        EncoderWidth = 64, ImageSize = 224, SpectrogramSize = null,
        ValidationFraction = 0.1, Seeds = 3, PaperSchedules = true, PublishedEncoders = true,
        Train = new TrainConfig { Epochs = 100, BatchSize = 64, Lr = LrSchedule.Step(1e-3, 70, 0.1) },
    };

    public static IReadOnlyList<Profile> All => [Smoke, Embedded, Paper];
    public static IEnumerable<string> Names => All.Select(p => p.Name);
    /// <summary>What commands and lessons use unless told otherwise.</summary>
    public static Profile Default => Embedded;

    /// <summary>The profile of a name, resolved once where a command or lesson reads it; an unknown name is refused with the closest.</summary>
    public static Profile Named(string name) => All.FirstOrDefault(p => p.Name == name)
        ?? throw new ArgumentException($"Unknown profile '{name}'{ClosestNames.Suggest(name, Names)}; known: {string.Join(", ", Names)}.");

    public override string ToString() => Name;
}

/// <summary>How much of a paper table a profile runs.</summary>
public enum TableCoverage
{
    /// <summary>A sample: one cell or setting per table, to show it runs (smoke).</summary>
    Sample,
    /// <summary>The cells two CPU cores run in minutes: a subset of the rates, folds and fractions (embedded).</summary>
    Subset,
    /// <summary>Every cell of the paper's table (paper).</summary>
    Full,
}
