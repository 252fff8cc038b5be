using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Repro.Models.Encoders;

/// <summary>
/// Feature maps of one image, (B, C, H, W), or of a clip's frames, (B, C, T, H, W), as <see cref="ResNet18"/> treats them:
/// a clip's frames go through a 2-D stage as a batch of B*T images, and pooling averages over frames and space.
/// </summary>
public static class FeatureMaps
{
    /// <summary>A 2-D stage applied to each frame of a (B, C, T, H, W) map (a (B, C, H, W) map as is).</summary>
    public static Tensor PerFrame(Func<Tensor, Tensor> stage, Tensor map)
    {
        if (map.dim() == 4) return stage(map);
        if (map.dim() != 5) throw new ArgumentException($"Expected a feature map (B, C, H, W) or (B, C, T, H, W), got ({string.Join(", ", map.shape)}).");
        using var scope = NewDisposeScope();
        long b = map.shape[0], c = map.shape[1], t = map.shape[2];
        var images = stage(map.permute(0, 2, 1, 3, 4).reshape(b * t, c, map.shape[3], map.shape[4]));
        return images.view(b, t, images.shape[1], images.shape[2], images.shape[3]).permute(0, 2, 1, 3, 4).MoveToOuterDisposeScope();
    }

    /// <summary>(B, C): the mean over space (and frames), as ResNet18's adaptive average pooling.</summary>
    public static Tensor Pool(Tensor map) => map.dim() switch
    {
        4 => functional.adaptive_avg_pool2d(map, 1).flatten(1),
        5 => functional.adaptive_avg_pool3d(map, 1).flatten(1),
        _ => throw new ArgumentException($"Expected a feature map (B, C, H, W) or (B, C, T, H, W), got ({string.Join(", ", map.shape)})."),
    };
}
