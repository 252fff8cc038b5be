namespace Repro.Data.Images;

/// <summary>
/// An 8-bit RGB image, rows top to bottom, pixels interleaved (HWC): the byte of channel c at (y, x) is
/// <c>Pixels[(y * Width + x) * 3 + c]</c>. Equality compares the pixels, not the array reference.
/// </summary>
public sealed record RgbImage(int Width, int Height, byte[] Pixels)
{
    public int Width { get; } = Width > 0 ? Width : throw new ArgumentOutOfRangeException(nameof(Width), Width, "image width must be positive");
    public int Height { get; } = Height > 0 ? Height : throw new ArgumentOutOfRangeException(nameof(Height), Height, "image height must be positive");
    public byte[] Pixels { get; } = CheckPixels(Width, Height, Pixels);

    public byte this[int y, int x, int c] => Pixels[((long)y * Width + x) * 3 + c];

    static byte[] CheckPixels(int width, int height, byte[] pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        long expected = 3L * width * height;
        if (pixels.LongLength != expected)
            throw new ArgumentException($"RgbImage {width}x{height}: Pixels has {pixels.LongLength} bytes, expected width*height*3 = {expected}.", nameof(Pixels));
        return pixels;
    }

    public bool Equals(RgbImage? other) =>
        other is not null && Width == other.Width && Height == other.Height && Pixels.AsSpan().SequenceEqual(other.Pixels);

    public override int GetHashCode() => HashCode.Combine(Width, Height, Pixels.Length);

    public override string ToString() => $"RgbImage {Width}x{Height}";
}
