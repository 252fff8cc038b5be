using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Repro.Data;
using Repro.Native;
using static TorchSharp.torch;

namespace Repro.Tests.Native;

public class SafetensorsTests : IDisposable
{
    readonly string _dir = TestPaths.TempDir("safetensors");
    public SafetensorsTests() => TorchRuntime.EnsureReady();
    public void Dispose() => Directory.Delete(_dir, true);

    static string Fixture => Path.Combine(TestPaths.Parity, "joint-concat-a.safetensors");
    static JsonElement Recipe => JsonDocument.Parse(File.ReadAllText(Path.Combine(TestPaths.Parity, "joint-concat-a.json"))).RootElement;

    [Fact]
    public void ReadsTheParityFixtureAsTheRecipeDescribesIt()
    {
        var recipe = Recipe;
        var model = recipe.GetProperty("model");
        long ch = model.GetProperty("channels").GetInt64(), d = model.GetProperty("feature_dim").GetInt64(), c = model.GetProperty("classes").GetInt64();
        long epochs = recipe.GetProperty("epochs").GetInt64(), columns = recipe.GetProperty("loss_columns").GetArrayLength();

        var header = Safetensors.ReadHeader(Fixture);
        Assert.Equal(0, header.DataStart % 8);
        Assert.Equal("F32", header["init/audio_net.conv.weight"].Dtype);
        Assert.Equal(new[] { ch, 1, 3, 3 }, header["init/audio_net.conv.weight"].Shape);
        Assert.Equal(new[] { ch, 3, 3, 3 }, header["init/visual_net.conv.weight"].Shape);
        Assert.Equal(new[] { d, ch }, header["init/visual_net.fc.weight"].Shape);
        Assert.Equal(new[] { c, 2 * d }, header[$"epoch{epochs}/fusion_module.fc_out.weight"].Shape);
        Assert.Equal("I64", header["data/label"].Dtype);

        using var scope = NewDisposeScope();
        var all = Safetensors.Load(Fixture);
        Assert.Equal(header.Tensors.Count, all.Count);
        var losses = all["loss/epoch_means"];
        Assert.Equal(new[] { epochs, columns }, losses.shape);
        Assert.True(losses.isfinite().all().item<bool>(), "loss/epoch_means has non-finite entries");
        Assert.Equal(ScalarType.Int64, all["data/label"].dtype);
        var labels = all["data/label"];
        Assert.True(labels.min().item<long>() >= 0 && labels.max().item<long>() < c, "labels outside 0..classes-1");
        Assert.Equal(all["data/visual"].shape[0], labels.shape[0]);

        var one = Safetensors.LoadTensor(Fixture, "init/fusion_module.fc_out.weight");
        Assert.True(one.equal(all["init/fusion_module.fc_out.weight"]).all().item<bool>());
        var e = Assert.Throws<KeyNotFoundException>(() => Safetensors.LoadTensor(Fixture, "no/such"));
        Assert.Contains(Fixture, e.Message);
        Assert.Contains("no/such", e.Message);
    }

    [Fact]
    public void ResavingTheFixtureReproducesTheReferenceWritersBytes()
    {
        using var scope = NewDisposeScope();
        var path = Path.Combine(_dir, "copy.safetensors");
        Safetensors.Save(path, Safetensors.Load(Fixture));
        Assert.Equal(File.ReadAllBytes(Fixture), File.ReadAllBytes(path));
    }

    static Tensor RandomBits(string dtype, long[] shape, Rng rng)
    {
        var t = empty(shape, dtype: SafetensorsDtype.ToScalarType(dtype));
        var bytes = new byte[t.NumberOfElements * t.ElementSize];
        for (int i = 0; i < bytes.Length; i++) bytes[i] = dtype == "BOOL" ? (byte)rng.NextInt(2) : (byte)rng.NextInt(256);
        if (bytes.Length > 0) t.bytes = bytes;
        return t;
    }

    [Theory]
    [InlineData(64L << 20)]
    [InlineData(12L)]   // forces chunked reads and writes that split tensors into several pieces
    public void EveryDtypeRoundTripsBitForBit(long chunkBytes)
    {
        using var scope = NewDisposeScope();
        var rng = new Rng(42);
        var tensors = new Dictionary<string, Tensor>();
        foreach (var dtype in SafetensorsDtype.Names)
        {
            tensors[$"{dtype}/matrix"] = RandomBits(dtype, [3, 7], rng);
            tensors[$"{dtype}/scalar"] = RandomBits(dtype, [], rng);
            tensors[$"{dtype}/empty"] = RandomBits(dtype, [0, 4], rng);
        }
        var meta = new Dictionary<string, string> { ["format"] = "pt", ["note"] = "ünïcödé, \"quoted\"" };
        var path = Path.Combine(_dir, "all.safetensors");
        Safetensors.Save(path, tensors, meta, chunkBytes);

        var back = Safetensors.Load(path, chunkBytes);
        Assert.Equal(tensors.Keys.Order(StringComparer.Ordinal), back.Keys);
        foreach (var (name, t) in tensors)
        {
            Assert.Equal(t.dtype, back[name].dtype);
            Assert.Equal(t.shape, back[name].shape);
            Assert.True(t.bytes.SequenceEqual(back[name].bytes), $"{name}: bytes differ after the round trip");
        }
        Assert.Equal(meta, Safetensors.ReadHeader(path).Metadata);
    }

    [Fact]
    public void HalfPrecisionIsStoredInTheStandardEncodings()
    {
        using var scope = NewDisposeScope();
        var values = tensor(new float[] { 1f, -2f, 0.5f });
        var path = Path.Combine(_dir, "half.safetensors");
        Safetensors.Save(path, new Dictionary<string, Tensor>
        {
            ["bf16"] = values.to_type(ScalarType.BFloat16),
            ["f16"] = values.to_type(ScalarType.Float16),
        });
        var h = Safetensors.ReadHeader(path);
        var raw = File.ReadAllBytes(path);
        ushort[] Words(string name) => Enumerable.Range(0, 3)
            .Select(i => BinaryPrimitives.ReadUInt16LittleEndian(raw.AsSpan((int)(h.DataStart + h[name].Begin) + 2 * i))).ToArray();
        Assert.Equal(new ushort[] { 0x3F80, 0xC000, 0x3F00 }, Words("bf16"));   // IEEE binary32's top half
        Assert.Equal(new ushort[] { 0x3C00, 0xC000, 0x3800 }, Words("f16"));    // IEEE binary16
        var back = Safetensors.Load(path);
        Assert.True(back["bf16"].to_type(ScalarType.Float32).equal(values).all().item<bool>());
        Assert.True(back["f16"].to_type(ScalarType.Float32).equal(values).all().item<bool>());
    }

    [Fact]
    public void HeaderIsSortedContiguousAndPaddedToEightBytes()
    {
        using var scope = NewDisposeScope();
        var path = Path.Combine(_dir, "sorted.safetensors");
        Safetensors.Save(path, new Dictionary<string, Tensor>
        {
            ["zeta"] = ones(3, dtype: ScalarType.Int8),
            ["Alpha"] = ones(2, 2),
            ["beta.weight"] = ones(5, dtype: ScalarType.Float64),
            ["beta"] = ones(1, dtype: ScalarType.Int16),
        }, new Dictionary<string, string> { ["k"] = "v" });

        var raw = File.ReadAllBytes(path);
        long n = (long)BinaryPrimitives.ReadUInt64LittleEndian(raw);
        Assert.Equal(0, n % 8);
        var text = Encoding.UTF8.GetString(raw, 8, (int)n);
        var json = text.TrimEnd(' ');
        Assert.EndsWith("}", json);
        Assert.InRange(text.Length - json.Length, 0, 7); // only the padding follows the JSON
        Assert.StartsWith("{\"__metadata__\":{\"k\":\"v\"}", text);

        using var doc = JsonDocument.Parse(text);
        var names = doc.RootElement.EnumerateObject().Select(p => p.Name).Where(k => k != "__metadata__").ToList();
        Assert.Equal(new[] { "Alpha", "beta", "beta.weight", "zeta" }, names);
        long expectedBegin = 0;
        foreach (var name in names)
        {
            var off = doc.RootElement.GetProperty(name).GetProperty("data_offsets");
            Assert.Equal(expectedBegin, off[0].GetInt64());
            expectedBegin = off[1].GetInt64();
        }
        Assert.Equal(raw.Length, 8 + n + expectedBegin);
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp"));
    }

    /// <summary>Writes a file with the given header text (no padding) and data length.</summary>
    string Handmade(string name, string header, int dataBytes, ulong? claimedLength = null)
    {
        var path = Path.Combine(_dir, name);
        var h = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + h.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, claimedLength ?? (ulong)h.Length);
        h.CopyTo(bytes, 8);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void HandmadeValidFileReads()
    {
        var path = Handmade("ok.safetensors", """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", 8);
        using var scope = NewDisposeScope();
        Assert.Equal(new long[] { 2 }, Safetensors.Load(path)["a"].shape);
    }

    public static TheoryData<string, string, int, string> CorruptCases => new()
    {
        { "beyond.safetensors", """{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}""", 8, "beyond the end" },
        { "size.safetensors", """{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""", 8, "needs 12" },
        { "json.safetensors", """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}""", 8, "not well-formed JSON" },
        { "overlap.safetensors", """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"I32","shape":[2],"data_offsets":[4,12]}}""", 12, "overlap" },
        { "shape.safetensors", """{"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}""", 8, "non-negative integer" },
        { "offsets.safetensors", """{"a":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}}""", 8, "begin <= end" },
        { "root.safetensors", """[1, 2, 3]""", 0, "expected an object" },
        { "meta.safetensors", """{"__metadata__":{"k":1}}""", 0, "expected a string" },
    };

    [Theory]
    [MemberData(nameof(CorruptCases))]
    public void CorruptFilesNameTheFile(string name, string header, int dataBytes, string expected)
    {
        var path = Handmade(name, header, dataBytes);
        var e = Assert.Throws<InvalidDataException>(() => Safetensors.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains(expected, e.Message);
        Assert.Throws<InvalidDataException>(() => Safetensors.ReadHeader(path));
    }

    [Fact]
    public void ErrorsAboutATensorNameIt()
    {
        var path = Handmade("named.safetensors", """{"weights.bias":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""", 8);
        var e = Assert.Throws<InvalidDataException>(() => Safetensors.Load(path));
        Assert.Contains("'weights.bias'", e.Message);
    }

    [Fact]
    public void TruncatedHeaderIsReported()
    {
        var shortFile = Path.Combine(_dir, "short.safetensors");
        File.WriteAllBytes(shortFile, [1, 2, 3]);
        var e = Assert.Throws<InvalidDataException>(() => Safetensors.Load(shortFile));
        Assert.Contains(shortFile, e.Message);
        Assert.Contains("truncated header", e.Message);

        var cut = Handmade("cut.safetensors", """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", 0, claimedLength: 400);
        e = Assert.Throws<InvalidDataException>(() => Safetensors.Load(cut));
        Assert.Contains(cut, e.Message);
        Assert.Contains("truncated header", e.Message);

        var huge = Handmade("huge.safetensors", "{}", 0, claimedLength: ulong.MaxValue);
        e = Assert.Throws<InvalidDataException>(() => Safetensors.Load(huge));
        Assert.Contains(huge, e.Message);
    }

    [Fact]
    public void TruncatedFixtureIsReported()
    {
        var bytes = File.ReadAllBytes(Fixture);
        var path = Path.Combine(_dir, "fixture-cut.safetensors");
        File.WriteAllBytes(path, bytes[..(bytes.Length - 100)]);
        var e = Assert.Throws<InvalidDataException>(() => Safetensors.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("test/visual", e.Message);
    }

    [Fact]
    public void UnsupportedDtypeAndMissingFileAreReported()
    {
        var path = Handmade("u16.safetensors", """{"a":{"dtype":"U16","shape":[2],"data_offsets":[0,4]}}""", 4);
        var e = Assert.Throws<NotSupportedException>(() => Safetensors.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("U16", e.Message);

        var missing = Path.Combine(_dir, "missing.safetensors");
        var m = Assert.Throws<FileNotFoundException>(() => Safetensors.Load(missing));
        Assert.Contains(missing, m.Message);
    }

    [Fact]
    public void SaveRejectsReservedNamesAndUnsupportedTypes()
    {
        using var scope = NewDisposeScope();
        var path = Path.Combine(_dir, "bad.safetensors");
        Assert.Throws<ArgumentException>(() => Safetensors.Save(path, new Dictionary<string, Tensor> { ["__metadata__"] = ones(1) }));
        var e = Assert.Throws<NotSupportedException>(() => Safetensors.Save(path, new Dictionary<string, Tensor> { ["c"] = ones(1, dtype: ScalarType.ComplexFloat32) }));
        Assert.Contains("'c'", e.Message);
        Assert.False(File.Exists(path));
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp"));
    }

    [Fact]
    public void SaveWritesNonContiguousTensorsInLogicalOrder()
    {
        using var scope = NewDisposeScope();
        var t = arange(6, dtype: ScalarType.Float32).view(2, 3).t();
        var path = Path.Combine(_dir, "transposed.safetensors");
        Safetensors.Save(path, new Dictionary<string, Tensor> { ["t"] = t });
        var back = Safetensors.Load(path)["t"];
        Assert.Equal(new long[] { 3, 2 }, back.shape);
        Assert.Equal(new float[] { 0, 3, 1, 4, 2, 5 }, back.data<float>().ToArray());
    }
}
