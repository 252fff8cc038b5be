using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace Repro.Data.Formats;

/// <summary>A NumPy array read from a pickle: element type (a .npy descr such as '&lt;f4'), shape and raw C-order bytes.</summary>
public sealed record PickledArray(string Descr, long[] Shape, byte[] Data)
{
    public long Count => Shape.Aggregate(1L, (a, b) => a * b);

    public float[] ToFloat32()
    {
        if (Descr is "<f4" or "<f8")
        {
            int size = Descr == "<f4" ? 4 : 8;
            if (Data.LongLength != Count * size)
                throw new InvalidDataException($"NumPy array of shape ({string.Join(", ", Shape)}) and type {Descr} holds {Data.LongLength} bytes; expected {Count * size}.");
            if (size == 4) return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(Data).ToArray();
            var d = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, double>(Data);
            var f = new float[d.Length];
            for (int i = 0; i < d.Length; i++) f[i] = (float)d[i];
            return f;
        }
        var tmp = Path.GetTempFileName();
        try { WriteNpy(tmp); return NpyFile.ReadFloat32(tmp).Data; }
        finally { File.Delete(tmp); }
    }

    void WriteNpy(string path)
    {
        var shape = Shape.Length == 1 ? $"({Shape[0]},)" : "(" + string.Join(", ", Shape) + ")";
        var dict = $"{{'descr': '{Descr}', 'fortran_order': False, 'shape': {shape}, }}\n";
        using var f = File.Create(path);
        f.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0]);
        f.Write(BitConverter.GetBytes((ushort)dict.Length));
        f.Write(Encoding.Latin1.GetBytes(dict));
        f.Write(Data);
    }
}

/// <summary>A NumPy array of Python objects (dtype object, such as MOSI's clip ids): its shape and its items in C order.</summary>
public sealed record PickledObjects(long[] Shape, IReadOnlyList<object?> Items);

/// <summary>
/// A small reader for Python pickles (protocols 0-5) of basic types, as docs/decisions.md#python-files allows: dict, list, tuple,
/// set, str, bytes, int, float, bool, None, and NumPy arrays/scalars (numpy.core.multiarray._reconstruct, numpy.dtype,
/// numpy.core.multiarray.scalar). Values map to Dictionary&lt;object, object?&gt;, List&lt;object?&gt;, object?[] (tuples),
/// string, byte[], long (BigInteger when larger), double, bool, null, <see cref="PickledArray"/> and <see cref="PickledObjects"/> (arrays of dtype object). Any other class is
/// refused with a message naming the file and the class; nothing is executed. <see cref="Write"/> writes the basic
/// types (protocol 2), so the stand-ins can produce the published label files.
/// </summary>
public static class Pickle
{
    sealed record Global(string Module, string Name);
    sealed record Reduced(Global Callable, object?[] Args);
    sealed class Mark;
    sealed class DType(string descr) { public string Descr { get; set; } = descr; }

    public static object? Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: pickle file not found.", path);
        try { return Load(File.ReadAllBytes(path), path); }
        catch (Exception e) when (e is IndexOutOfRangeException or ArgumentOutOfRangeException or InvalidCastException or EndOfStreamException)
        {
            throw new InvalidDataException($"{path}: not a readable pickle ({e.Message}).", e);
        }
    }

    public static object? Load(byte[] bytes, string source)
    {
        var stack = new List<object?>();
        var memo = new Dictionary<long, object?>();
        int p = 0;
        object? Pop() { var v = stack[^1]; stack.RemoveAt(stack.Count - 1); return v; }
        List<object?> PopMark()
        {
            int m = stack.FindLastIndex(x => x is Mark);
            if (m < 0) throw new InvalidDataException($"{source}: pickle has no MARK where one is needed.");
            var items = stack.GetRange(m + 1, stack.Count - m - 1);
            stack.RemoveRange(m, stack.Count - m);
            return items;
        }
        string Line()
        {
            int e = Array.IndexOf(bytes, (byte)'\n', p);
            var s = Encoding.Latin1.GetString(bytes, p, e - p);
            p = e + 1;
            return s;
        }
        ReadOnlySpan<byte> Take(long n) { var s = bytes.AsSpan(p, checked((int)n)); p += (int)n; return s; }

        while (true)
        {
            if (p >= bytes.Length) throw new InvalidDataException($"{source}: pickle ends without STOP.");
            byte op = bytes[p++];
            switch (op)
            {
                case 0x80: p++; break; // PROTO
                case 0x95: p += 8; break; // FRAME
                case (byte)'.': return stack.Count > 0 ? Pop() : null;
                case (byte)'(': stack.Add(new Mark()); break;
                case (byte)'}': stack.Add(new Dictionary<object, object?>()); break;
                case (byte)']': stack.Add(new List<object?>()); break;
                case (byte)')': stack.Add(Array.Empty<object?>()); break;
                case 0x8f: stack.Add(new List<object?>()); break; // EMPTY_SET (as a list)
                case (byte)'t': stack.Add(PopMark().ToArray()); break;
                case 0x85: stack.Add(new[] { Pop() }); break;
                case 0x86: { var b = Pop(); var a = Pop(); stack.Add(new[] { a, b }); break; }
                case 0x87: { var c = Pop(); var b = Pop(); var a = Pop(); stack.Add(new[] { a, b, c }); break; }
                case (byte)'l': stack.Add(PopMark()); break;
                case 0x91: stack.Add(PopMark()); break; // FROZENSET
                case (byte)'d':
                {
                    var items = PopMark();
                    var d = new Dictionary<object, object?>();
                    for (int i = 0; i + 1 < items.Count; i += 2) d[Key(items[i], source)] = items[i + 1];
                    stack.Add(d);
                    break;
                }
                case (byte)'a': { var v = Pop(); ((List<object?>)stack[^1]!).Add(v); break; }
                case (byte)'e': case 0x90: { var items = PopMark(); ((List<object?>)stack[^1]!).AddRange(items); break; }
                case (byte)'s': { var v = Pop(); var k = Pop(); ((Dictionary<object, object?>)stack[^1]!)[Key(k, source)] = v; break; }
                case (byte)'u':
                {
                    var items = PopMark();
                    var d = (Dictionary<object, object?>)stack[^1]!;
                    for (int i = 0; i + 1 < items.Count; i += 2) d[Key(items[i], source)] = items[i + 1];
                    break;
                }
                case (byte)'J': stack.Add((long)BinaryPrimitives.ReadInt32LittleEndian(Take(4))); break;
                case (byte)'K': stack.Add((long)bytes[p++]); break;
                case (byte)'M': stack.Add((long)BinaryPrimitives.ReadUInt16LittleEndian(Take(2))); break;
                case 0x8a: { int n = bytes[p++]; stack.Add(Long(Take(n))); break; }
                case 0x8b: { int n = BinaryPrimitives.ReadInt32LittleEndian(Take(4)); stack.Add(Long(Take(n))); break; }
                case (byte)'I':
                {
                    var s = Line();
                    stack.Add(s == "01" ? true : s == "00" ? false : long.Parse(s));
                    break;
                }
                case (byte)'L': { var s = Line().TrimEnd('L'); var b = BigInteger.Parse(s); stack.Add(b >= long.MinValue && b <= long.MaxValue ? (object)(long)b : b); break; }
                case (byte)'G': stack.Add(BinaryPrimitives.ReadDoubleBigEndian(Take(8))); break;
                case (byte)'F': stack.Add(double.Parse(Line(), System.Globalization.CultureInfo.InvariantCulture)); break;
                case (byte)'X': { int n = BinaryPrimitives.ReadInt32LittleEndian(Take(4)); stack.Add(Encoding.UTF8.GetString(Take(n))); break; }
                case 0x8c: { int n = bytes[p++]; stack.Add(Encoding.UTF8.GetString(Take(n))); break; }
                case 0x8d: { long n = BinaryPrimitives.ReadInt64LittleEndian(Take(8)); stack.Add(Encoding.UTF8.GetString(Take(n))); break; }
                case (byte)'V': stack.Add(System.Text.RegularExpressions.Regex.Unescape(Line())); break;
                case (byte)'T': { int n = BinaryPrimitives.ReadInt32LittleEndian(Take(4)); stack.Add(Encoding.Latin1.GetString(Take(n))); break; }
                case (byte)'U': { int n = bytes[p++]; stack.Add(Encoding.Latin1.GetString(Take(n))); break; }
                case (byte)'S': { var s = Line().Trim(); stack.Add(System.Text.RegularExpressions.Regex.Unescape(s[1..^1])); break; }
                case (byte)'B': { int n = BinaryPrimitives.ReadInt32LittleEndian(Take(4)); stack.Add(Take(n).ToArray()); break; }
                case (byte)'C': { int n = bytes[p++]; stack.Add(Take(n).ToArray()); break; }
                case 0x8e: { long n = BinaryPrimitives.ReadInt64LittleEndian(Take(8)); stack.Add(Take(n).ToArray()); break; }
                case 0x96: { long n = BinaryPrimitives.ReadInt64LittleEndian(Take(8)); stack.Add(Take(n).ToArray()); break; } // BYTEARRAY8
                case (byte)'N': stack.Add(null); break;
                case 0x88: stack.Add(true); break;
                case 0x89: stack.Add(false); break;
                case (byte)'q': memo[bytes[p++]] = stack[^1]; break;
                case (byte)'r': memo[BinaryPrimitives.ReadUInt32LittleEndian(Take(4))] = stack[^1]; break;
                case (byte)'p': memo[long.Parse(Line())] = stack[^1]; break;
                case 0x94: memo[memo.Count] = stack[^1]; break;
                case (byte)'h': stack.Add(memo[bytes[p++]]); break;
                case (byte)'j': stack.Add(memo[BinaryPrimitives.ReadUInt32LittleEndian(Take(4))]); break;
                case (byte)'g': stack.Add(memo[long.Parse(Line())]); break;
                case (byte)'0': Pop(); break;
                case (byte)'1': PopMark(); break;
                case (byte)'2': stack.Add(stack[^1]); break;
                case (byte)'c': { var module = Line(); var name = Line(); stack.Add(new Global(module, name)); break; }
                case 0x93: { var name = (string)Pop()!; var module = (string)Pop()!; stack.Add(new Global(module, name)); break; }
                case (byte)'R':
                {
                    var args = (object?[])Pop()!;
                    var callable = Pop() as Global ?? throw new InvalidDataException($"{source}: pickle REDUCE on something that is not a class.");
                    stack.Add(Reduce(callable, args, source));
                    break;
                }
                case 0x81: // NEWOBJ
                {
                    var args = (object?[])Pop()!;
                    var cls = Pop() as Global ?? throw new InvalidDataException($"{source}: pickle NEWOBJ on something that is not a class.");
                    stack.Add(Reduce(cls, args, source));
                    break;
                }
                case (byte)'b':
                {
                    var state = Pop();
                    stack[^1] = Build(stack[^1], state, source);
                    break;
                }
                default:
                    throw new InvalidDataException($"{source}: pickle opcode 0x{op:x2} at byte {p - 1} is not supported by the kit's reader (basic types and NumPy arrays only).");
            }
        }
    }

    static object Key(object? k, string source) => k switch
    {
        null => throw new InvalidDataException($"{source}: pickle dict has a None key (not supported)."),
        object?[] t => string.Join("\u0001", t.Select(x => x?.ToString())), // tuple keys: joined, rare
        _ => k,
    };

    static object Long(ReadOnlySpan<byte> le)
    {
        if (le.Length == 0) return 0L;
        var b = new BigInteger(le, isUnsigned: false, isBigEndian: false);
        return b >= long.MinValue && b <= long.MaxValue ? (object)(long)b : b;
    }

    static object? Reduce(Global g, object?[] args, string source)
    {
        var name = g.Module + "." + g.Name;
        switch (name)
        {
            case "numpy.core.multiarray._reconstruct":
            case "numpy._core.multiarray._reconstruct":
            case "numpy.ndarray":
                return new Reduced(g, args);
            case "numpy.dtype":
                return new DType(args[0] as string ?? throw new InvalidDataException($"{source}: numpy.dtype without a type string."));
            case "numpy.core.multiarray.scalar":
            case "numpy._core.multiarray.scalar":
            {
                var dt = (DType)args[0]!;
                var raw = args[1] switch { byte[] b => b, string s => Encoding.Latin1.GetBytes(s), _ => throw new InvalidDataException($"{source}: numpy scalar without data.") };
                var arr = new PickledArray(Descr(dt), [], raw);
                return Descr(dt)[1] == 'f' ? (object)(double)arr.ToFloat32()[0] : ScalarInteger(arr, source);
            }
            case "_codecs.encode":
            case "codecs.encode":
                return Encoding.Latin1.GetBytes((string)args[0]!);
            case "collections.OrderedDict":
            case "builtins.dict":
            case "__builtin__.dict":
                return new Dictionary<object, object?>();
            case "builtins.set":
            case "__builtin__.set":
            case "builtins.frozenset":
            case "builtins.list":
                return args.Length > 0 && args[0] is List<object?> l ? l : new List<object?>();
            default:
                throw new InvalidDataException($"{source}: pickle holds an object of class {name}, which the kit's reader does not build (basic types and NumPy arrays only).");
        }
    }

    static long ScalarInteger(PickledArray a, string source)
    {
        var d = a.Data;
        return a.Descr[1..] switch
        {
            "i8" => BinaryPrimitives.ReadInt64LittleEndian(d),
            "i4" => BinaryPrimitives.ReadInt32LittleEndian(d),
            "u8" => (long)BinaryPrimitives.ReadUInt64LittleEndian(d),
            "u4" => BinaryPrimitives.ReadUInt32LittleEndian(d),
            "i2" => BinaryPrimitives.ReadInt16LittleEndian(d),
            "u1" or "b1" => d[0],
            "i1" => (sbyte)d[0],
            _ => throw new InvalidDataException($"{source}: numpy scalar of type {a.Descr} is not supported."),
        };
    }

    static string Descr(DType dt)
    {
        var d = dt.Descr;
        if (d.Length > 0 && d[0] is '<' or '>' or '|' or '=') return d;
        var kind = d[0];
        var size = d.Length > 1 ? d[1..] : "8";
        if (kind == 'b' && d.StartsWith("b1")) return "|b1";
        return (kind is 'u' or 'i' && size == "1" ? "|" : "<") + kind + size;
    }

    static object? Build(object? target, object? state, string source)
    {
        switch (target)
        {
            case DType dt when state is object?[] st && st.Length > 1 && st[1] is string order:
                if (order == ">") dt.Descr = ">" + Descr(dt)[1..];
                return dt;
            case DType dt:
                return dt;
            case Reduced r when state is object?[] st && st.Length >= 5:
            {
                var shape = ((object?[])st[1]!).Select(x => Convert.ToInt64(x)).ToArray();
                var dt = (DType)st[2]!;
                bool fortran = st[3] is true;
                if (st[4] is List<object?> objects) return new PickledObjects(shape, objects);   // dtype object: the items were unpickled like any other value
                var raw = st[4] switch
                {
                    byte[] b => b,
                    string s => Encoding.Latin1.GetBytes(s),
                    _ => throw new InvalidDataException($"{source}: NumPy array in pickle holds neither raw bytes nor a list of items."),
                };
                if (fortran && shape.Length > 1) throw new InvalidDataException($"{source}: Fortran-ordered NumPy arrays in pickles are not supported.");
                return new PickledArray(Descr(dt), shape, raw);
            }
            case Dictionary<object, object?> d when state is Dictionary<object, object?> s:
                foreach (var (k, v) in s) d[k] = v;
                return d;
            default:
                throw new InvalidDataException($"{source}: pickle BUILD on an unsupported object ({target?.GetType().Name ?? "None"}).");
        }
    }

    // ---- writer (protocol 2, basic types) ----

    /// <summary>Writes dict / list / tuple (object?[]) / str / int / long / double / bool / null and NumPy arrays (<see cref="PickledArray"/>) as a protocol-2 pickle, atomically.</summary>
    public static void Write(string path, object? value)
    {
        using var ms = new MemoryStream();
        ms.WriteByte(0x80); ms.WriteByte(2);
        WriteValue(ms, value);
        ms.WriteByte((byte)'.');
        var all = ms.ToArray();
        AtomicFile.Write(path, t => File.WriteAllBytes(t, all));
    }

    static void WriteGlobal(Stream s, string module, string name) => s.Write(Encoding.ASCII.GetBytes($"c{module}\n{name}\n"));

    /// <summary>Python bytes as protocol 2 writes them: _codecs.encode(the bytes as latin-1 text, 'latin1').</summary>
    static void WriteBytes(Stream s, byte[] b)
    {
        WriteGlobal(s, "_codecs", "encode");
        s.WriteByte((byte)'(');
        WriteValue(s, Encoding.Latin1.GetString(b));
        WriteValue(s, "latin1");
        s.WriteByte((byte)'t'); s.WriteByte((byte)'R');
    }

    /// <summary>
    /// A NumPy array as NumPy itself pickles one under protocol 2: _reconstruct(ndarray, (0,), b'b'), then BUILD with the
    /// state (1, shape, dtype, False, data), data being the raw bytes or, for dtype object, the list of items.
    /// </summary>
    static void WriteArray(Stream s, string descr, long[] shape, Action writeData)
    {
        WriteGlobal(s, "numpy.core.multiarray", "_reconstruct");
        s.WriteByte((byte)'(');
        WriteGlobal(s, "numpy", "ndarray");
        WriteValue(s, new object?[] { 0L });
        WriteBytes(s, "b"u8.ToArray());
        s.WriteByte((byte)'t'); s.WriteByte((byte)'R');
        s.WriteByte((byte)'(');
        WriteValue(s, 1L);
        WriteValue(s, shape.Select(d => (object?)d).ToArray());
        WriteGlobal(s, "numpy", "dtype");
        WriteValue(s, new object?[] { descr[1..], false, true });
        s.WriteByte((byte)'R');
        WriteValue(s, new object?[] { 3L, descr[0] == '|' ? "|" : "<", null, null, null, -1L, -1L, descr[1] == 'O' ? 63L : 0L });
        s.WriteByte((byte)'b');
        WriteValue(s, false);
        writeData();
        s.WriteByte((byte)'t'); s.WriteByte((byte)'b');
    }

    static void WriteValue(Stream s, object? v)
    {
        switch (v)
        {
            case null: s.WriteByte((byte)'N'); break;
            case bool b: s.WriteByte(b ? (byte)0x88 : (byte)0x89); break;
            case int i: WriteValue(s, (long)i); break;
            case long l when l >= int.MinValue && l <= int.MaxValue:
                s.WriteByte((byte)'J');
                Span<byte> b4 = stackalloc byte[4];
                BinaryPrimitives.WriteInt32LittleEndian(b4, (int)l);
                s.Write(b4);
                break;
            case long l:
            {
                var bytes = new BigInteger(l).ToByteArray();
                s.WriteByte(0x8a); s.WriteByte((byte)bytes.Length); s.Write(bytes);
                break;
            }
            case double d:
            {
                s.WriteByte((byte)'G');
                Span<byte> b8 = stackalloc byte[8];
                BinaryPrimitives.WriteDoubleBigEndian(b8, d);
                s.Write(b8);
                break;
            }
            case float f: WriteValue(s, (double)f); break;
            case string str:
            {
                var bytes = Encoding.UTF8.GetBytes(str);
                s.WriteByte((byte)'X');
                Span<byte> len = stackalloc byte[4];
                BinaryPrimitives.WriteInt32LittleEndian(len, bytes.Length);
                s.Write(len); s.Write(bytes);
                break;
            }
            case PickledArray a: WriteArray(s, a.Descr, a.Shape, () => WriteBytes(s, a.Data)); break;
            case PickledObjects o: WriteArray(s, "|O8", o.Shape, () => WriteValue(s, o.Items.ToList())); break;
            case byte[] b: WriteBytes(s, b); break;
            case object?[] tuple:
                s.WriteByte((byte)'(');
                foreach (var x in tuple) WriteValue(s, x);
                s.WriteByte((byte)'t');
                break;
            case System.Collections.IDictionary dict:
                s.WriteByte((byte)'}');
                if (dict.Count > 0)
                {
                    s.WriteByte((byte)'(');
                    foreach (System.Collections.DictionaryEntry e in dict) { WriteValue(s, e.Key); WriteValue(s, e.Value); }
                    s.WriteByte((byte)'u');
                }
                break;
            case System.Collections.IEnumerable list:
                s.WriteByte((byte)']');
                s.WriteByte((byte)'(');
                foreach (var x in list) WriteValue(s, x);
                s.WriteByte((byte)'e');
                break;
            default:
                throw new ArgumentException($"Pickle.Write: values of type {v.GetType().Name} are not supported.");
        }
    }
}
