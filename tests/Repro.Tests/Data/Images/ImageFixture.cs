using Repro.Data.Images;
using Repro.Native;
using static TorchSharp.torch;

namespace Repro.Tests.Data.Images;

/// <summary>The front-end fixture's image inputs and reference tensors (tests/fixtures/frontend, made with PIL 9.4 / torchvision 0.14).</summary>
static class ImageFixture
{
    public static string Jpeg => Path.Combine(TestPaths.Frontend, "frame-320x240.jpg");
    public static string Tensors => Path.Combine(TestPaths.Frontend, "frontend.safetensors");

    public static Tensor Load(string name) => Safetensors.LoadTensor(Tensors, name);

    /// <summary>PIL's decoding of the JPEG as an RgbImage (image/decoded_rgb_u8, stored as int64 HWC).</summary>
    public static RgbImage PilDecoded()
    {
        using var t = Load("image/decoded_rgb_u8");
        using var u8 = t.to_type(ScalarType.Byte).contiguous();
        return new RgbImage((int)t.shape[1], (int)t.shape[0], u8.bytes.ToArray());
    }

    /// <summary>Max and mean absolute difference of two tensors of the same shape, in float64.</summary>
    public static (double Max, double Mean) AbsDiff(Tensor a, Tensor b)
    {
        Assert.Equal(b.shape, a.shape);
        using var scope = NewDisposeScope();
        var d = a.to_type(ScalarType.Float64).sub(b.to_type(ScalarType.Float64)).abs();
        return (d.max().item<double>(), d.mean().item<double>());
    }
}
