using static TorchSharp.torch;

namespace Repro.Data.Images;

/// <summary>
/// The CREMA-D visual transforms of the OGM-GE and DGL loaders (dataset/CramedDataset.py), per frame.
/// torchvision draws its random numbers from torch's global generator; these draw from the kit's seeded
/// <see cref="Rng"/>, so they reproduce the distribution of crops and flips, not the same crops.
/// </summary>
public static class ImagePipelines
{
    /// <summary>transforms.Compose([RandomResizedCrop(size), RandomHorizontalFlip(), ToTensor(), Normalize(ImageNet)]).</summary>
    public static Tensor Train(RgbImage img, int size, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        using var scope = NewDisposeScope();
        var x = ImageTransforms.RandomResizedCrop(ImageTransforms.ToTensor(img), size, rng);
        // torchvision RandomHorizontalFlip.forward: flip if torch.rand(1) < p, p = 0.5
        if (rng.NextDouble() < 0.5) x = ImageTransforms.HorizontalFlip(x);
        return ImageTransforms.Normalize(x, ImageTransforms.ImageNetMean, ImageTransforms.ImageNetStd).MoveToOuterDisposeScope();
    }

    /// <summary>transforms.Compose([Resize((size, size)), ToTensor(), Normalize(ImageNet)]).</summary>
    public static Tensor Test(RgbImage img, int size)
    {
        if (size <= 0) throw new ArgumentOutOfRangeException(nameof(size), size, "Test transform: size must be positive.");
        using var scope = NewDisposeScope();
        var x = ImageTransforms.Resize(ImageTransforms.ToTensor(img), size, size);
        return ImageTransforms.Normalize(x, ImageTransforms.ImageNetMean, ImageTransforms.ImageNetStd).MoveToOuterDisposeScope();
    }

    /// <summary>A clip's frames, each through <see cref="Train"/> (in frame order, one <paramref name="rng"/>) or <see cref="Test"/>, stacked as (3, T, size, size).</summary>
    public static Tensor Clip(IEnumerable<string> frames, SampleMode mode, int size, Rng rng, Func<string, RgbImage> decode)
    {
        using var scope = NewDisposeScope();
        var images = frames.Select(f => mode == SampleMode.Train ? Train(decode(f), size, rng) : Test(decode(f), size)).ToArray();
        return stack(images, 1).MoveToOuterDisposeScope();
    }
}
