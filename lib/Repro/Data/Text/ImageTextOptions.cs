namespace Repro.Data.Text;

/// <summary>Input settings of the image-text loaders (Food-101, MM-IMDb, MVSA).</summary>
public sealed record ImageTextOptions
{
    /// <summary>Side of the square image after the transforms (224 for ViT-B/16 and ResNet-18 in the papers).</summary>
    public int ImageSize { get; init; } = 224;
    /// <summary>Token ids per text including [CLS] and [SEP] (40 Food-101 / 256 MM-IMDb in U2A; 512/1024 in MAP).</summary>
    public int TextLength { get; init; } = 40;
    /// <summary>The BERT vocab.txt; null means &lt;root&gt;/vocab.txt.</summary>
    public string? VocabPath { get; init; }
    /// <summary>Keep decoded images in memory (the random train transform still runs every time).</summary>
    public bool CacheImages { get; init; }
    public MissingFilePolicy MissingFiles { get; init; } = MissingFilePolicy.Error;
}
