using System.Collections.Concurrent;
using Repro.Data.Images;
using static TorchSharp.torch;

namespace Repro.Data.Text;

/// <summary>
/// The per-sample work shared by the image-text loaders: the image through the train (RandomResizedCrop, flip) or test
/// (Resize) pipeline with ImageNet normalisation, (3, S, S); the text as <see cref="ImageTextOptions.TextLength"/>
/// WordPiece ids (int64), tokenised once and cached.
/// </summary>
internal sealed class ImageTextSamples
{
    readonly ImageTextOptions _o;
    readonly ConcurrentDictionary<string, RgbImage> _images = new();
    readonly ConcurrentDictionary<int, long[]> _tokens = new();

    public ImageTextSamples(string root, ImageTextOptions o)
    {
        _o = o;
        Tokenizer = new WordPiece(o.VocabPath ?? Path.Combine(root, "vocab.txt"));
    }

    public WordPiece Tokenizer { get; }

    public Tensor Image(string path, SampleMode mode, Rng rng)
    {
        var img = _o.CacheImages ? _images.GetOrAdd(path, ImageFile.Decode) : ImageFile.Decode(path);
        return mode == SampleMode.Train ? ImagePipelines.Train(img, _o.ImageSize, rng) : ImagePipelines.Test(img, _o.ImageSize);
    }

    public Tensor Text(int key, string text) => tensor(_tokens.GetOrAdd(key, _ => Tokenizer.Encode(text, _o.TextLength)));

    /// <summary>A sample's inputs as every image-text loader returns them: its image, then its text (cached under <paramref name="index"/>).</summary>
    public Dictionary<string, Tensor?> Inputs(int index, string imagePath, string text, SampleMode mode, ulong seed) => new()
    {
        [Modalities.Image] = Image(imagePath, mode, new Rng(seed)),
        [Modalities.Text] = Text(index, text),
    };

    public static ModalitySpec ImageSpec(ImageTextOptions o) => new(Modalities.Image, [3, o.ImageSize, o.ImageSize]);
    public static ModalitySpec TextSpec(ImageTextOptions o) => new(Modalities.Text, [o.TextLength], TorchSharp.torch.ScalarType.Int64);
}
