using Repro.Data;
using Repro.Data.Text;
using Repro.Models.Encoders;
using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Experiments.Datasets;

/// <summary>What the image-text datasets share: MAP's missing tables, a BERT vocabulary, a ResNet-18 and a mean-pooled token encoder.</summary>
public abstract class ImageTextDescriptor : DatasetDescriptor
{
    public override IReadOnlyList<DatasetSetting> Settings => [DatasetSetting.MapMissing, DatasetSetting.Vocab];

    /// <summary>2: titles encoded as BERT's own tokenizer encodes them (accents, punctuation, CJK, control characters; docs/datasets.md#food101).</summary>
    public override int RealDataVersion => 2;

    /// <summary>The loader options of a profile; texts are cut to the profile's length, or the protocol's.</summary>
    protected static ImageTextOptions TextOptions(DatasetRef r, Profile profile, int protocolLength) => new()
    {
        ImageSize = profile.ImageSize,
        TextLength = profile.TextLength ?? protocolLength,
        VocabPath = r.Get(DatasetSetting.Vocab.Name),
        CacheImages = profile.CacheFrames,
        MissingFiles = MissingFilePolicy.Drop,   // counted; Splits applies the id's policy
    };

    /// <summary>Small inputs for `repro data verify --deep`.</summary>
    protected static ImageTextOptions VerifyOptions => new() { ImageSize = 32, TextLength = 16 };

    protected Func<string, nn.Module<Tensor, Tensor>> Encoders(Profile profile, int vocab) => m => m switch
    {
        Modalities.Image => new ResNet18(3, frames: false, profile.EncoderWidth),
        Modalities.Text => new TokenMeanPool(vocab, profile.TextEmbedding, profile.TextEmbedding, 8 * profile.EncoderWidth),
        _ => throw new ArgumentException($"{Name} has no modality '{m}'."),
    };
}
