using static TorchSharp.torch;

namespace Repro.Methods.U2a;

/// <summary>
/// U2A §4.2: a video (B, 3, F, H, W) goes through the image encoder frame by frame and the outputs are averaged over
/// the frames; any other input goes through as it is.
/// </summary>
public static class Framewise
{
    public static bool IsVideo(Tensor input) => input.dim() == 5 && input.dtype != ScalarType.Int64;

    /// <summary><paramref name="encode"/> on every frame of a video (outputs averaged over frames), or on the input itself.</summary>
    public static Tensor Encode(Tensor input, Func<Tensor, Tensor> encode)
    {
        if (!IsVideo(input)) return encode(input);
        long b = input.shape[0], f = input.shape[2];
        var frames = input.transpose(1, 2).reshape(b * f, input.shape[1], input.shape[3], input.shape[4]);
        var output = encode(frames);
        return output.view([b, f, .. output.shape[1..]]).mean([1]);
    }
}
