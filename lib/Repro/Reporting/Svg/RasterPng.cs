using System.Runtime.InteropServices;
using SkiaSharp;

namespace Repro.Reporting.Svg;

/// <summary>A grid of colours as a lossless PNG (Skia's encoder), for heatmap cells and image pixels inside an SVG.</summary>
internal static class RasterPng
{
    /// <summary><paramref name="pixel"/>(row, column), row 0 at the top.</summary>
    public static byte[] Encode(int width, int height, Func<int, int, Rgba> pixel)
    {
        var rgba = new byte[4 * width * height];
        for (var r = 0; r < height; r++)
            for (var c = 0; c < width; c++)
            {
                var p = pixel(r, c);
                var i = 4 * (r * width + c);
                (rgba[i], rgba[i + 1], rgba[i + 2], rgba[i + 3]) = (p.R, p.G, p.B, (byte)Math.Round(p.A * 255));
            }
        using var bmp = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        if (bmp.RowBytes != width * 4) throw new InvalidOperationException($"unexpected Skia row stride {bmp.RowBytes} for width {width}");
        Marshal.Copy(rgba, 0, bmp.GetPixels(), rgba.Length);
        using var data = bmp.Encode(SKEncodedImageFormat.Png, 100)
            ?? throw new InvalidOperationException($"Skia could not encode a {width}x{height} PNG");
        return data.ToArray();
    }
}
