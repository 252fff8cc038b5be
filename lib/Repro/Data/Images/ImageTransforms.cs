using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Repro.Data.Images;

/// <summary>
/// The torchvision transforms the CREMA-D loaders use, on (3, H, W) float tensors:
/// ToTensor, Resize, Normalize, horizontal flip and RandomResizedCrop.
/// </summary>
public static class ImageTransforms
{
    /// <summary>torchvision's ImageNet statistics (models/resnet, the OGM-GE and DGL loaders).</summary>
    public static float[] ImageNetMean => [0.485f, 0.456f, 0.406f];
    public static float[] ImageNetStd => [0.229f, 0.224f, 0.225f];

    /// <summary>torchvision ToTensor: HWC uint8 -> CHW float32 in [0, 1] (divided by 255).</summary>
    public static Tensor ToTensor(RgbImage img)
    {
        ArgumentNullException.ThrowIfNull(img);
        using var scope = NewDisposeScope();
        var hwc = empty([img.Height, img.Width, 3], ScalarType.Byte);
        hwc.bytes = img.Pixels;
        return hwc.permute(2, 0, 1).to_type(ScalarType.Float32).div_(255f).contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// torchvision Resize((height, width)) as PIL does it: bilinear, align_corners false, antialiased
    /// (F.interpolate antialias=True uses PIL's triangle filter widened by the scale when downsampling).
    /// PIL rounds to 8 bits after resizing; this stays in float, within 1/255 of PIL.
    /// </summary>
    public static Tensor Resize(Tensor chw, int height, int width)
    {
        CheckChw(chw, nameof(chw));
        if (height <= 0 || width <= 0)
            throw new ArgumentOutOfRangeException(nameof(height), $"Resize: target size {height}x{width} must be positive.");
        if (!chw.is_floating_point())
            throw new ArgumentException($"Resize: expected a floating-point image tensor (ToTensor's output), got {chw.dtype}.", nameof(chw));
        using var scope = NewDisposeScope();
        var y = F.interpolate(chw.unsqueeze(0), [height, width], mode: InterpolationMode.Bilinear, align_corners: false, antialias: true);
        return y.squeeze(0).MoveToOuterDisposeScope();
    }

    /// <summary>torchvision Normalize: (x - mean[c]) / std[c] per channel.</summary>
    public static Tensor Normalize(Tensor chw, float[] mean, float[] std)
    {
        CheckChw(chw, nameof(chw));
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(std);
        if (!chw.is_floating_point())
            throw new ArgumentException($"Normalize: expected a floating-point image tensor (ToTensor's output), got {chw.dtype}.", nameof(chw));
        long c = chw.shape[0];
        if (mean.Length != c || std.Length != c)
            throw new ArgumentException($"Normalize: the tensor has {c} channels but mean has {mean.Length} and std {std.Length} values.");
        if (std.Any(s => s == 0f || !float.IsFinite(s)))
            throw new ArgumentException($"Normalize: std [{string.Join(", ", std)}] must be finite and non-zero.", nameof(std));
        using var scope = NewDisposeScope();
        var m = tensor(mean, dtype: chw.dtype).view(-1, 1, 1);
        var s = tensor(std, dtype: chw.dtype).view(-1, 1, 1);
        return chw.sub(m).div_(s).MoveToOuterDisposeScope();
    }

    /// <summary>torchvision hflip: mirrors the last (width) axis.</summary>
    public static Tensor HorizontalFlip(Tensor chw)
    {
        CheckChw(chw, nameof(chw));
        return chw.flip(-1);
    }

    /// <summary>
    /// torchvision RandomResizedCrop.get_params: up to 10 draws of an area fraction (uniform in scale) and an aspect ratio
    /// (log-uniform in ratio), w = round(sqrt(area * ratio)), h = round(sqrt(area / ratio)), accepted if it fits, then a
    /// uniform position; otherwise the central crop of the whole image clamped to the ratio range.
    /// Rounding is Python's round (half to even).
    /// </summary>
    public static (int top, int left, int h, int w) RandomResizedCropParams(
        int height, int width, Rng rng,
        double scaleMin = 0.08, double scaleMax = 1.0, double ratioMin = 3.0 / 4, double ratioMax = 4.0 / 3)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (height <= 0 || width <= 0)
            throw new ArgumentOutOfRangeException(nameof(height), $"RandomResizedCrop: image size {height}x{width} must be positive.");
        if (!(scaleMin > 0 && scaleMin <= scaleMax))
            throw new ArgumentException($"RandomResizedCrop: scale range ({scaleMin}, {scaleMax}) must satisfy 0 < min <= max.");
        if (!(ratioMin > 0 && ratioMin <= ratioMax))
            throw new ArgumentException($"RandomResizedCrop: ratio range ({ratioMin}, {ratioMax}) must satisfy 0 < min <= max.");

        double area = (double)height * width;
        double logRatioMin = Math.Log(ratioMin), logRatioMax = Math.Log(ratioMax);
        for (int attempt = 0; attempt < 10; attempt++)
        {
            double targetArea = area * rng.NextUniform(scaleMin, scaleMax);
            double aspect = Math.Exp(rng.NextUniform(logRatioMin, logRatioMax));
            int w = (int)Math.Round(Math.Sqrt(targetArea * aspect), MidpointRounding.ToEven);
            int h = (int)Math.Round(Math.Sqrt(targetArea / aspect), MidpointRounding.ToEven);
            if (0 < w && w <= width && 0 < h && h <= height)
            {
                int top = rng.NextInt(height - h + 1);
                int left = rng.NextInt(width - w + 1);
                return (top, left, h, w);
            }
        }

        double inRatio = (double)width / height;
        int fw, fh;
        if (inRatio < ratioMin)
        {
            fw = width;
            fh = (int)Math.Round(fw / ratioMin, MidpointRounding.ToEven);
        }
        else if (inRatio > ratioMax)
        {
            fh = height;
            fw = (int)Math.Round(fh * ratioMax, MidpointRounding.ToEven);
        }
        else
        {
            fw = width;
            fh = height;
        }
        return ((height - fh) / 2, (width - fw) / 2, fh, fw);
    }

    /// <summary>torchvision RandomResizedCrop(size): crop with <see cref="RandomResizedCropParams"/>, then the antialiased resize to size x size.</summary>
    public static Tensor RandomResizedCrop(Tensor chw, int size, Rng rng)
    {
        CheckChw(chw, nameof(chw));
        if (size <= 0) throw new ArgumentOutOfRangeException(nameof(size), size, "RandomResizedCrop: size must be positive.");
        var (top, left, h, w) = RandomResizedCropParams((int)chw.shape[1], (int)chw.shape[2], rng);
        using var scope = NewDisposeScope();
        var crop = chw.narrow(1, top, h).narrow(2, left, w);
        return Resize(crop, size, size).MoveToOuterDisposeScope();
    }

    static void CheckChw(Tensor chw, string name)
    {
        ArgumentNullException.ThrowIfNull(chw, name);
        if (chw.dim() != 3 || chw.shape[1] == 0 || chw.shape[2] == 0)
            throw new ArgumentException($"expected an image tensor (C, H, W) with H, W > 0, got shape [{string.Join(", ", chw.shape)}].", name);
    }
}
