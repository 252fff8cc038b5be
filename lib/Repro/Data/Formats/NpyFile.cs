using System.Buffers.Binary;
using System.Text;
using System.Text.RegularExpressions;

namespace Repro.Data.Formats;

/// <summary>The header of a NumPy .npy file: element type, byte order, shape, and where the data start.</summary>
public sealed record NpyHeader(string Descr, bool FortranOrder, long[] Shape, long DataOffset)
{
    /// <summary>'f', 'i', 'u', 'b' or 'U'.</summary>
    public char Kind => Descr[1];
    public int ItemSize => Descr[0] == '|' && Kind == 'b' ? 1 : int.Parse(Descr[2..]) * (Kind == 'U' ? 4 : 1);
    public long Count => Shape.Aggregate(1L, (a, b) => a * b);
    public string ShapeText => "(" + string.Join(", ", Shape) + ")";
}

/// <summary>
/// Reads and writes NumPy .npy files (format versions 1-3, numpy/lib/format.py): a magic string, a Python-dict
/// header {'descr', 'fortran_order', 'shape'}, then the raw C-order data. Numbers: float16/32/64, int8-64, uint8,
/// bool; strings ('&lt;U', UTF-32). Object arrays (pickled) are refused with a message naming the file.
/// </summary>
public static class NpyFile
{
    static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    public static NpyHeader ReadHeader(string path)
    {
        using var s = OpenOrThrow(path);
        return ReadHeader(s, path);
    }

    static FileStream OpenOrThrow(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: .npy file not found.", path);
        return File.OpenRead(path);
    }

    static NpyHeader ReadHeader(Stream s, string path)
    {
        var pre = new byte[10];
        if (s.ReadAtLeast(pre, 10, false) < 10 || !pre.AsSpan(0, 6).SequenceEqual(Magic))
            throw new InvalidDataException($"{path}: not a NumPy .npy file (magic string \\x93NUMPY missing).");
        int major = pre[6];
        int headerLen, prefix;
        if (major == 1) { headerLen = BinaryPrimitives.ReadUInt16LittleEndian(pre.AsSpan(8)); prefix = 10; }
        else if (major is 2 or 3)
        {
            var more = new byte[2];
            s.ReadExactly(more);
            headerLen = (int)BinaryPrimitives.ReadUInt32LittleEndian([pre[8], pre[9], more[0], more[1]]);
            prefix = 12;
        }
        else throw new InvalidDataException($"{path}: .npy format version {major} is not supported (expected 1, 2 or 3).");
        var hb = new byte[headerLen];
        s.ReadExactly(hb);
        var header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(hb);
        var descr = Regex.Match(header, @"'descr'\s*:\s*'([^']*)'");
        var fortran = Regex.Match(header, @"'fortran_order'\s*:\s*(True|False)");
        var shape = Regex.Match(header, @"'shape'\s*:\s*\(([^)]*)\)");
        if (!descr.Success || !fortran.Success || !shape.Success)
            throw new InvalidDataException($"{path}: .npy header is malformed (expected 'descr', 'fortran_order' and 'shape'): {header.Trim()}");
        var dims = shape.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => long.TryParse(d.TrimEnd('L'), out var v) ? v : throw new InvalidDataException($"{path}: .npy shape '{shape.Groups[1].Value}' is not a tuple of integers.")).ToArray();
        var d = descr.Groups[1].Value;
        if (d.Length >= 2 && d[1] == 'O') throw new InvalidDataException($"{path}: .npy holds Python objects (descr '{d}'); only numeric and string arrays are read.");
        if (d.Length < 3 || d[0] is not ('<' or '>' or '|' or '='))
            throw new InvalidDataException($"{path}: .npy element type '{d}' is not supported.");
        if (d[1] == 'O') throw new InvalidDataException($"{path}: .npy holds Python objects (descr '{d}'); only numeric and string arrays are read.");
        return new NpyHeader(d, fortran.Groups[1].Value == "True", dims, prefix + headerLen);
    }

    /// <summary>Reads a numeric array as float32 (any numeric element type is converted), with its shape.</summary>
    public static (float[] Data, long[] Shape) ReadFloat32(string path)
    {
        using var s = OpenOrThrow(path);
        var h = ReadHeader(s, path);
        var bytes = ReadData(s, h, path);
        var n = (int)h.Count;
        var result = new float[n];
        bool big = h.Descr[0] == '>';
        int size = h.ItemSize;
        for (int i = 0; i < n; i++)
        {
            var b = bytes.AsSpan(i * size, size);
            result[i] = h.Kind switch
            {
                'f' when size == 4 => big ? BinaryPrimitives.ReadSingleBigEndian(b) : BinaryPrimitives.ReadSingleLittleEndian(b),
                'f' when size == 8 => (float)(big ? BinaryPrimitives.ReadDoubleBigEndian(b) : BinaryPrimitives.ReadDoubleLittleEndian(b)),
                'f' when size == 2 => (float)(big ? BinaryPrimitives.ReadHalfBigEndian(b) : BinaryPrimitives.ReadHalfLittleEndian(b)),
                'i' or 'u' or 'b' => ReadInteger(b, h.Kind, big),
                _ => throw new InvalidDataException($"{path}: .npy element type '{h.Descr}' is not numeric."),
            };
        }
        return (FortranToC(result, h.Shape, h.FortranOrder), h.Shape);
    }

    /// <summary>Reads an integer (or bool) array as int64.</summary>
    public static (long[] Data, long[] Shape) ReadInt64(string path)
    {
        using var s = OpenOrThrow(path);
        var h = ReadHeader(s, path);
        if (h.Kind is not ('i' or 'u' or 'b')) throw new InvalidDataException($"{path}: expected an integer .npy array, found element type '{h.Descr}'.");
        var bytes = ReadData(s, h, path);
        var n = (int)h.Count;
        var result = new long[n];
        for (int i = 0; i < n; i++) result[i] = ReadInteger(bytes.AsSpan(i * h.ItemSize, h.ItemSize), h.Kind, h.Descr[0] == '>');
        return (FortranToC(result, h.Shape, h.FortranOrder), h.Shape);
    }

    /// <summary>Reads a 1-D array of strings ('&lt;U' UTF-32, or 'S' bytes).</summary>
    public static string[] ReadStrings(string path)
    {
        using var s = OpenOrThrow(path);
        var h = ReadHeader(s, path);
        if (h.Kind is not ('U' or 'S')) throw new InvalidDataException($"{path}: expected a string .npy array, found element type '{h.Descr}'.");
        var bytes = ReadData(s, h, path);
        var n = (int)h.Count;
        var result = new string[n];
        int size = h.ItemSize;
        for (int i = 0; i < n; i++)
        {
            var b = bytes.AsSpan(i * size, size);
            result[i] = h.Kind == 'U'
                ? (h.Descr[0] == '>' ? new UTF32Encoding(true, false) : Encoding.UTF32).GetString(b).TrimEnd('\0')
                : Encoding.UTF8.GetString(b).TrimEnd('\0');
        }
        return result;
    }

    static long ReadInteger(ReadOnlySpan<byte> b, char kind, bool big) => (kind, b.Length) switch
    {
        ('b', 1) => b[0] != 0 ? 1 : 0,
        ('u', 1) => b[0],
        ('i', 1) => (sbyte)b[0],
        ('i', 2) => big ? BinaryPrimitives.ReadInt16BigEndian(b) : BinaryPrimitives.ReadInt16LittleEndian(b),
        ('u', 2) => big ? BinaryPrimitives.ReadUInt16BigEndian(b) : BinaryPrimitives.ReadUInt16LittleEndian(b),
        ('i', 4) => big ? BinaryPrimitives.ReadInt32BigEndian(b) : BinaryPrimitives.ReadInt32LittleEndian(b),
        ('u', 4) => big ? BinaryPrimitives.ReadUInt32BigEndian(b) : BinaryPrimitives.ReadUInt32LittleEndian(b),
        ('i', 8) => big ? BinaryPrimitives.ReadInt64BigEndian(b) : BinaryPrimitives.ReadInt64LittleEndian(b),
        ('u', 8) => (long)(big ? BinaryPrimitives.ReadUInt64BigEndian(b) : BinaryPrimitives.ReadUInt64LittleEndian(b)),
        _ => throw new InvalidDataException($"integer element of kind '{kind}' and {b.Length} bytes is not supported."),
    };

    static byte[] ReadData(Stream s, NpyHeader h, string path)
    {
        long need = h.Count * h.ItemSize;
        if (need > Array.MaxLength) throw new NotSupportedException($"{path}: array {h.ShapeText} is too large to read into one buffer.");
        var data = new byte[need];
        int got = s.ReadAtLeast(data, (int)need, false);
        if (got < need)
            throw new InvalidDataException($"{path}: .npy data is truncated: header says {h.Descr} {h.ShapeText} ({need} bytes), file holds {got}.");
        return data;
    }

    static T[] FortranToC<T>(T[] data, long[] shape, bool fortran)
    {
        if (!fortran || shape.Length < 2) return data;
        var result = new T[data.Length];
        int rank = shape.Length;
        var idx = new long[rank];
        for (long f = 0; f < data.Length; f++)
        {
            // f enumerates Fortran order: first index fastest
            long c = 0;
            for (int k = 0; k < rank; k++) c = c * shape[k] + idx[k];
            result[c] = data[f];
            for (int k = 0; k < rank; k++) { if (++idx[k] < shape[k]) break; idx[k] = 0; }
        }
        return result;
    }

    /// <summary>Writes a little-endian float32 C-order array (format 1.0), atomically.</summary>
    public static void WriteFloat32(string path, ReadOnlySpan<float> data, long[] shape)
    {
        CheckCount(path, data.Length, shape);
        var bytes = new byte[data.Length * 4];
        for (int i = 0; i < data.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), data[i]);
        Write(path, "<f4", shape, bytes);
    }

    /// <summary>Writes a little-endian int64 array, atomically.</summary>
    public static void WriteInt64(string path, ReadOnlySpan<long> data, long[] shape)
    {
        CheckCount(path, data.Length, shape);
        var bytes = new byte[data.Length * 8];
        for (int i = 0; i < data.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * 8), data[i]);
        Write(path, "<i8", shape, bytes);
    }

    /// <summary>Writes a 1-D array of strings as '&lt;U{n}' (UTF-32), atomically.</summary>
    public static void WriteStrings(string path, IReadOnlyList<string> values)
    {
        int width = Math.Max(1, values.Count == 0 ? 1 : values.Max(v => v.Length));
        var bytes = new byte[values.Count * width * 4];
        for (int i = 0; i < values.Count; i++) Encoding.UTF32.GetBytes(values[i], bytes.AsSpan(i * width * 4));
        Write(path, $"<U{width}", [values.Count], bytes);
    }

    static void CheckCount(string path, int n, long[] shape)
    {
        if (shape.Aggregate(1L, (a, b) => a * b) != n)
            throw new ArgumentException($"{path}: {n} values do not fill shape ({string.Join(", ", shape)}).");
    }

    static void Write(string path, string descr, long[] shape, byte[] data)
    {
        var shapeText = shape.Length == 1 ? $"({shape[0]},)" : "(" + string.Join(", ", shape) + ")";
        var dict = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shapeText}, }}";
        int total = 10 + dict.Length + 1;
        int pad = (64 - total % 64) % 64;
        var header = dict + new string(' ', pad) + "\n";
        using var ms = new MemoryStream();
        ms.Write(Magic);
        ms.WriteByte(1); ms.WriteByte(0);
        var hb = Encoding.Latin1.GetBytes(header);
        ms.Write(BitConverter.GetBytes((ushort)hb.Length));
        ms.Write(hb);
        ms.Write(data);
        var all = ms.ToArray();
        AtomicFile.Write(path, t => File.WriteAllBytes(t, all));
    }
}
