using System.Runtime.InteropServices;
using SkiaSharp;

namespace Repro.Data.Images;

/// <summary>
/// Reads and writes image files with SkiaSharp. Decoding follows PIL's <c>Image.open(p).convert("RGB")</c>:
/// EXIF orientation is NOT applied, no ICC colour conversion, alpha dropped without compositing.
/// Skia decodes JPEG with libjpeg-turbo like PIL; the two agree to within 1-2 levels (see the front-end fixture).
/// </summary>
public static class ImageFile
{
    /// <summary>Decodes a JPEG, PNG (or any format Skia reads) file to 8-bit RGB.</summary>
    public static RgbImage Decode(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: image file not found.", path);
        var bytes = File.ReadAllBytes(path);
        return Decode(bytes, path);
    }

    /// <summary>Decodes encoded image bytes; <paramref name="source"/> names them in error messages (a path, an archive entry).</summary>
    public static RgbImage Decode(byte[] encoded, string source)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        if (encoded.Length == 0) throw new InvalidDataException($"{source}: image file is empty (0 bytes).");

        using var stream = new SKMemoryStream(encoded);
        using var codec = SKCodec.Create(stream, out var created);
        if (codec == null)
            throw new InvalidDataException($"{source}: not a JPEG/PNG image or corrupt (Skia: {created}).");

        int w = codec.Info.Width, h = codec.Info.Height;
        if (w <= 0 || h <= 0)
            throw new InvalidDataException($"{source}: not a JPEG/PNG image or corrupt (size {w}x{h}).");
        long rgbaBytes = 4L * w * h;
        if (rgbaBytes > Array.MaxLength)
            throw new NotSupportedException($"{source}: image {w}x{h} is too large to decode into one array.");

        // Unpremultiplied RGBA without a colour space: Skia leaves the samples as stored (no ICC transform).
        var info = new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var rgba = new byte[rgbaBytes];
        SKCodecResult result;
        var pin = GCHandle.Alloc(rgba, GCHandleType.Pinned);
        try { result = codec.GetPixels(info, pin.AddrOfPinnedObject()); }
        finally { pin.Free(); }
        if (result == SKCodecResult.IncompleteInput)
            throw new InvalidDataException($"{source}: not a JPEG/PNG image or corrupt: the data is truncated (Skia: {result}).");
        if (result != SKCodecResult.Success)
            throw new InvalidDataException($"{source}: not a JPEG/PNG image or corrupt (Skia: {result}).");

        var rgb = new byte[3L * w * h];
        for (long i = 0, j = 0; i < rgb.LongLength; i += 3, j += 4)
        {
            rgb[i] = rgba[j];
            rgb[i + 1] = rgba[j + 1];
            rgb[i + 2] = rgba[j + 2];
        }
        return new RgbImage(w, h, rgb);
    }

    /// <summary>Writes a baseline JPEG (Skia's encoder, 4:2:0), atomically: a temporary file in the same folder, then a move.</summary>
    public static void WriteJpeg(string path, RgbImage img, int quality = 90)
    {
        if (quality is < 1 or > 100)
            throw new ArgumentOutOfRangeException(nameof(quality), quality, $"{path}: JPEG quality must be in 1..100.");
        Write(path, img, SKEncodedImageFormat.Jpeg, quality);
    }

    /// <summary>Writes a lossless PNG, atomically.</summary>
    public static void WritePng(string path, RgbImage img) => Write(path, img, SKEncodedImageFormat.Png, 100);

    static void Write(string path, RgbImage img, SKEncodedImageFormat format, int quality)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(img);
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(dir))
            throw new DirectoryNotFoundException($"{path}: cannot write the image, the folder {dir} does not exist.");

        byte[] encoded;
        using (var bmp = new SKBitmap(new SKImageInfo(img.Width, img.Height, SKColorType.Rgba8888, SKAlphaType.Opaque)))
        {
            var rgba = new byte[4L * img.Width * img.Height];
            var px = img.Pixels;
            for (long i = 0, j = 0; i < px.LongLength; i += 3, j += 4)
            {
                rgba[j] = px[i];
                rgba[j + 1] = px[i + 1];
                rgba[j + 2] = px[i + 2];
                rgba[j + 3] = 255;
            }
            if (bmp.RowBytes != img.Width * 4)
                throw new InvalidOperationException($"{path}: unexpected Skia row stride {bmp.RowBytes} for width {img.Width}.");
            Marshal.Copy(rgba, 0, bmp.GetPixels(), rgba.Length);
            using var data = bmp.Encode(format, quality)
                ?? throw new InvalidOperationException($"{path}: Skia could not encode the {img.Width}x{img.Height} image as {format}.");
            encoded = data.ToArray();
        }

        var tmp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllBytes(tmp, encoded);
            File.Move(tmp, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(tmp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }
}
