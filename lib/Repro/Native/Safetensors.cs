using System.Buffers.Binary;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Native;

/// <summary>
/// Reader and writer of the safetensors format (huggingface/safetensors): an 8-byte little-endian header length N,
/// N bytes of UTF-8 JSON <c>{name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {str: str}}</c>,
/// then the raw little-endian data, offsets relative to the end of the header.
/// Files are read with seeks, tensor by tensor and in chunks, so neither the file nor a tensor has to fit one array.
/// </summary>
public static class Safetensors
{
    /// <summary>The reference implementation's limit on the header (safetensors MAX_HEADER_SIZE).</summary>
    public const long MaxHeaderLength = 100_000_000;

    const string MetadataKey = "__metadata__";
    const long DefaultChunkBytes = 64L << 20;

    static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Every tensor of the file, in header order, on the CPU.</summary>
    public static Dictionary<string, Tensor> Load(string path) => Load(path, DefaultChunkBytes);

    internal static Dictionary<string, Tensor> Load(string path, long chunkBytes)
    {
        using var fs = OpenRead(path);
        var header = ReadHeader(fs, path);
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var e in header.Tensors)
                result[e.Name] = ReadTensor(fs, header, e, chunkBytes);
            return result;
        }
        catch
        {
            foreach (var t in result.Values) t.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The tensors whose names <paramref name="select"/> accepts, in header order, on the CPU; the others are never read,
    /// so a sub-tree of a large checkpoint (CLIP's vision tower out of the full CLIP file) costs only its own bytes.
    /// </summary>
    public static Dictionary<string, Tensor> Load(string path, Func<string, bool> select)
    {
        ArgumentNullException.ThrowIfNull(select);
        using var fs = OpenRead(path);
        var header = ReadHeader(fs, path);
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var e in header.Tensors.Where(e => select(e.Name)))
                result[e.Name] = ReadTensor(fs, header, e, DefaultChunkBytes);
            return result;
        }
        catch
        {
            foreach (var t in result.Values) t.Dispose();
            throw;
        }
    }

    /// <summary>One tensor of the file, on the CPU.</summary>
    public static Tensor LoadTensor(string path, string name)
    {
        using var fs = OpenRead(path);
        var header = ReadHeader(fs, path);
        return ReadTensor(fs, header, header[name], DefaultChunkBytes);
    }

    /// <summary>The validated header: names, dtypes, shapes, offsets and metadata, without reading any data.</summary>
    public static SafetensorsHeader ReadHeader(string path)
    {
        using var fs = OpenRead(path);
        return ReadHeader(fs, path);
    }

    /// <summary>
    /// Writes the tensors as the reference implementation lays them out: header keys sorted (ordinal), data in that order,
    /// header padded with spaces to a multiple of 8. Written to a temporary file in the same folder, then moved into place.
    /// </summary>
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null) =>
        Save(path, tensors, metadata, DefaultChunkBytes);

    internal static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata, long chunkBytes)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        EnsureLittleEndian(path);
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(dir))
            throw new DirectoryNotFoundException($"{path}: cannot write safetensors, the folder {dir} does not exist.");

        using var scope = NewDisposeScope();
        var names = tensors.Keys.OrderBy(k => k, StringComparer.Ordinal).ToList();
        var prepared = new List<(string Name, string Dtype, long[] Shape, Tensor Data, long Begin, long End)>();
        long offset = 0;
        foreach (var name in names)
        {
            if (string.IsNullOrEmpty(name))
                throw new ArgumentException($"{path}: a tensor name is empty; safetensors needs a non-empty name per tensor.", nameof(tensors));
            if (name == MetadataKey)
                throw new ArgumentException($"{path}: '{MetadataKey}' is reserved for metadata and cannot name a tensor.", nameof(tensors));
            var t = tensors[name] ?? throw new ArgumentException($"{path}: tensor '{name}' is null.", nameof(tensors));
            string dtype;
            try { dtype = SafetensorsDtype.FromScalarType(t.dtype); }
            catch (NotSupportedException e) { throw new NotSupportedException($"{path}: tensor '{name}': {e.Message}", e); }
            var data = t.detach().cpu().contiguous();
            long bytes = data.NumberOfElements * data.ElementSize;
            prepared.Add((name, dtype, data.shape, data, offset, offset + bytes));
            offset += bytes;
        }

        var headerBytes = BuildHeader(prepared.Select(p => (p.Name, p.Dtype, p.Shape, p.Begin, p.End)), metadata);
        var tmp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            {
                Span<byte> len = stackalloc byte[8];
                BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)headerBytes.Length);
                fs.Write(len);
                fs.Write(headerBytes);
                foreach (var p in prepared) WriteData(fs, p.Data, chunkBytes);
                fs.Flush(flushToDisk: true);
            }
            File.Move(tmp, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(tmp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }

    static byte[] BuildHeader(IEnumerable<(string Name, string Dtype, long[] Shape, long Begin, long End)> entries,
                              IReadOnlyDictionary<string, string>? metadata)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            if (metadata != null)
            {
                w.WriteStartObject(MetadataKey);
                foreach (var kv in metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                    w.WriteString(kv.Key, kv.Value);
                w.WriteEndObject();
            }
            foreach (var e in entries)
            {
                w.WriteStartObject(e.Name);
                w.WriteString("dtype", e.Dtype);
                w.WriteStartArray("shape");
                foreach (var d in e.Shape) w.WriteNumberValue(d);
                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(e.Begin);
                w.WriteNumberValue(e.End);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        // safetensors serialize: pad the header with spaces so that the data starts 8-byte aligned
        int pad = (int)((8 - ms.Length % 8) % 8);
        for (int i = 0; i < pad; i++) ms.WriteByte((byte)' ');
        return ms.ToArray();
    }

    static void WriteData(FileStream fs, Tensor data, long chunkBytes)
    {
        long numel = data.NumberOfElements;
        if (numel == 0) return;
        long perChunk = Math.Max(1, chunkBytes / data.ElementSize);
        if (numel <= perChunk) { fs.Write(data.bytes); return; }
        using var flat = data.view(-1);
        for (long s = 0; s < numel; s += perChunk)
        {
            using var part = flat.narrow(0, s, Math.Min(perChunk, numel - s));
            fs.Write(part.bytes);
        }
    }

    static Tensor ReadTensor(FileStream fs, SafetensorsHeader header, SafetensorsEntry e, long chunkBytes)
    {
        var t = empty(e.Shape, dtype: SafetensorsDtype.ToScalarType(e.Dtype));
        try
        {
            long numel = e.NumElements;
            if (numel == 0) return t;
            fs.Seek(header.DataStart + e.Begin, SeekOrigin.Begin);
            long perChunk = Math.Max(1, chunkBytes / t.ElementSize);
            if (numel <= perChunk) { ReadExactly(fs, t.bytes, header, e); return t; }
            using var flat = t.view(-1);
            for (long s = 0; s < numel; s += perChunk)
            {
                using var part = flat.narrow(0, s, Math.Min(perChunk, numel - s));
                ReadExactly(fs, part.bytes, header, e);
            }
            return t;
        }
        catch
        {
            t.Dispose();
            throw;
        }
    }

    static void ReadExactly(FileStream fs, Span<byte> dst, SafetensorsHeader header, SafetensorsEntry e)
    {
        try { fs.ReadExactly(dst); }
        catch (EndOfStreamException ex)
        {
            throw new InvalidDataException($"{header.Path}: tensor '{e.Name}': the file ended inside its data (it changed while being read?).", ex);
        }
    }

    static FileStream OpenRead(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        EnsureLittleEndian(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: safetensors file not found.", path);
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
    }

    static void EnsureLittleEndian(string path)
    {
        if (!BitConverter.IsLittleEndian)
            throw new NotSupportedException($"{path}: safetensors data is little-endian and this machine is not; the kit does not byte-swap.");
    }

    static SafetensorsHeader ReadHeader(FileStream fs, string path)
    {
        long fileLength = fs.Length;
        if (fileLength < 8)
            throw Bad(path, $"truncated header: the file has {fileLength} bytes, fewer than the 8-byte header length");
        Span<byte> lenBytes = stackalloc byte[8];
        fs.Seek(0, SeekOrigin.Begin);
        fs.ReadExactly(lenBytes);
        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(lenBytes);
        if (n < 2)
            throw Bad(path, $"header length {n} is too small for a JSON object");
        if (n > MaxHeaderLength)
            throw Bad(path, $"header length {n} exceeds the format's limit of {MaxHeaderLength} bytes (not a safetensors file?)");
        if ((long)n > fileLength - 8)
            throw Bad(path, $"truncated header: header length {n} but only {fileLength - 8} bytes follow the length field");

        var json = new byte[n];
        fs.ReadExactly(json);
        string text;
        try { text = StrictUtf8.GetString(json); }
        catch (DecoderFallbackException e) { throw Bad(path, $"header is not valid UTF-8 ({e.Message})", e); }

        long dataLength = fileLength - 8 - (long)n;
        var entries = new List<SafetensorsEntry>();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            using var doc = JsonDocument.Parse(text);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw Bad(path, $"header is JSON {doc.RootElement.ValueKind}, expected an object of tensors");
            foreach (var prop in doc.RootElement.EnumerateObject())
            {
                if (!seen.Add(prop.Name))
                    throw Bad(path, $"header names '{prop.Name}' twice");
                if (prop.Name == MetadataKey)
                    ReadMetadata(path, prop.Value, metadata);
                else
                    entries.Add(ReadEntry(path, prop.Name, prop.Value, dataLength));
            }
        }
        catch (JsonException e)
        {
            throw Bad(path, $"header is not well-formed JSON ({e.Message})", e);
        }

        CheckNoOverlap(path, entries);
        return new SafetensorsHeader(path, (long)n, entries, metadata);
    }

    static void ReadMetadata(string path, JsonElement value, Dictionary<string, string> metadata)
    {
        if (value.ValueKind == JsonValueKind.Null) return;
        if (value.ValueKind != JsonValueKind.Object)
            throw Bad(path, $"'{MetadataKey}' is JSON {value.ValueKind}, expected an object of strings");
        foreach (var m in value.EnumerateObject())
        {
            if (m.Value.ValueKind != JsonValueKind.String)
                throw Bad(path, $"'{MetadataKey}' field '{m.Name}' is JSON {m.Value.ValueKind}, expected a string");
            if (!metadata.TryAdd(m.Name, m.Value.GetString()!))
                throw Bad(path, $"'{MetadataKey}' names '{m.Name}' twice");
        }
    }

    static SafetensorsEntry ReadEntry(string path, string name, JsonElement value, long dataLength)
    {
        string where = $"tensor '{name}'";
        if (value.ValueKind != JsonValueKind.Object)
            throw Bad(path, $"{where} is JSON {value.ValueKind}, expected an object with dtype, shape and data_offsets");

        if (!value.TryGetProperty("dtype", out var dt) || dt.ValueKind != JsonValueKind.String)
            throw Bad(path, $"{where}: field 'dtype' missing or not a string");
        var dtype = dt.GetString()!;
        if (!SafetensorsDtype.IsKnown(dtype))
            throw new NotSupportedException($"{path}: {where}: dtype '{dtype}' is not supported; expected one of {string.Join(", ", SafetensorsDtype.Names)}.");

        if (!value.TryGetProperty("shape", out var sh) || sh.ValueKind != JsonValueKind.Array)
            throw Bad(path, $"{where}: field 'shape' missing or not an array");
        var shape = new long[sh.GetArrayLength()];
        int i = 0;
        foreach (var d in sh.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt64(out var v) || v < 0)
                throw Bad(path, $"{where}: field 'shape' entry {i} is {d.GetRawText()}, expected a non-negative integer");
            shape[i++] = v;
        }

        if (!value.TryGetProperty("data_offsets", out var off) || off.ValueKind != JsonValueKind.Array || off.GetArrayLength() != 2)
            throw Bad(path, $"{where}: field 'data_offsets' missing or not an array of two integers [begin, end]");
        var o = off.EnumerateArray().ToArray();
        if (!o[0].TryGetInt64(out var begin) || !o[1].TryGetInt64(out var end) || begin < 0 || end < begin)
            throw Bad(path, $"{where}: field 'data_offsets' is {off.GetRawText()}, expected integers 0 <= begin <= end");
        if (end > dataLength)
            throw Bad(path, $"{where}: data_offsets [{begin}, {end}] lie beyond the end of the data section ({dataLength} bytes); the file is truncated or corrupt");

        long expected;
        try
        {
            expected = checked(shape.Aggregate(1L, (a, b) => checked(a * b)) * SafetensorsDtype.ItemSize(dtype));
        }
        catch (OverflowException)
        {
            throw Bad(path, $"{where}: shape [{string.Join(", ", shape)}] is too large");
        }
        if (end - begin != expected)
            throw Bad(path, $"{where}: data_offsets [{begin}, {end}] span {end - begin} bytes, but dtype {dtype} with shape [{string.Join(", ", shape)}] needs {expected}");
        return new SafetensorsEntry(name, dtype, shape, begin, end);
    }

    static void CheckNoOverlap(string path, List<SafetensorsEntry> entries)
    {
        SafetensorsEntry? prev = null;
        foreach (var e in entries.Where(e => e.ByteLength > 0).OrderBy(e => e.Begin))
        {
            if (prev != null && e.Begin < prev.End)
                throw Bad(path, $"tensors '{prev.Name}' [{prev.Begin}, {prev.End}] and '{e.Name}' [{e.Begin}, {e.End}] overlap");
            prev = e;
        }
    }

    static InvalidDataException Bad(string path, string what, Exception? inner = null) =>
        new($"{path}: not a valid safetensors file: {what}.", inner);
}
