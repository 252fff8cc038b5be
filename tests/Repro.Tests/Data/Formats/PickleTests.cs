using System.Numerics;
using Repro.Data.Formats;

namespace Repro.Tests.Data.Formats;

public class PickleTests
{
    // Made by CPython 3.11's pickle.dumps of
    // ({'Ses01F_impro01': ['Ses01F_impro01_F000', 'Ses01F_impro01_M001']}, {'Ses01F_impro01': [0, 3]},
    //  {'Ses01F_impro01': ['F', 'M']}, {'Ses01F_impro01': ['hi', 'there']}, {'Ses01F_impro01'}, set())
    // with protocols 0, 2 and 4: the shape of GCNet's IEMOCAP label file.
    public static readonly Dictionary<int, string> LabelTuple = new()
    {
        [0] = "KChkcDAKVlNlczAxRl9pbXBybzAxCnAxCihscDIKVlNlczAxRl9pbXBybzAxX0YwMDAKcDMKYVZTZXMwMUZfaW1wcm8wMV9NMDAxCnA0CmFzKGRwNQpnMQoobHA2CkkwCmFJMwphcyhkcDcKZzEKKGxwOApWRgpwOQphVk0KcDEwCmFzKGRwMTEKZzEKKGxwMTIKVmhpCnAxMwphVnRoZXJlCnAxNAphc2NfX2J1aWx0aW5fXwpzZXQKcDE1CigobHAxNgpnMQphdHAxNwpScDE4CmcxNQooKGxwMTkKdHAyMApScDIxCnRwMjIKLg==",
        [2] = "gAIofXEAWA4AAABTZXMwMUZfaW1wcm8wMXEBXXECKFgTAAAAU2VzMDFGX2ltcHJvMDFfRjAwMHEDWBMAAABTZXMwMUZfaW1wcm8wMV9NMDAxcQRlc31xBWgBXXEGKEsASwNlc31xB2gBXXEIKFgBAAAARnEJWAEAAABNcQplc31xC2gBXXEMKFgCAAAAaGlxDVgFAAAAdGhlcmVxDmVzY19fYnVpbHRpbl9fCnNldApxD11xEGgBYYVxEVJxEmgPXXEThXEUUnEVdHEWLg==",
        [4] = "gASVhAAAAAAAAAAofZSMDlNlczAxRl9pbXBybzAxlF2UKIwTU2VzMDFGX2ltcHJvMDFfRjAwMJSME1NlczAxRl9pbXBybzAxX00wMDGUZXN9lGgBXZQoSwBLA2VzfZRoAV2UKIwBRpSMAU2UZXN9lGgBXZQojAJoaZSMBXRoZXJllGVzj5QoaAGQj5R0lC4=",
    };

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(4)]
    public void ReadsPythonPicklesOfTheLabelFileShape(int protocol)
    {
        var t = Assert.IsType<object?[]>(Pickle.Load(Convert.FromBase64String(LabelTuple[protocol]), "fixture"));
        Assert.Equal(6, t.Length);
        var ids = Assert.IsType<Dictionary<object, object?>>(t[0]);
        Assert.Equal(["Ses01F_impro01_F000", "Ses01F_impro01_M001"], Assert.IsType<List<object?>>(ids["Ses01F_impro01"]).Cast<string>());
        Assert.Equal([0L, 3L], Assert.IsType<List<object?>>(((Dictionary<object, object?>)t[1]!)["Ses01F_impro01"]).Cast<long>());
        Assert.Equal(["Ses01F_impro01"], Assert.IsType<List<object?>>(t[4]).Cast<string>());
        Assert.Empty(Assert.IsType<List<object?>>(t[5]));
    }

    [Fact]
    public void ReadsBasicScalarsAndBigIntegers()
    {
        // pickle.dumps({'a': 1.5, 'b': None, 'c': True, 'd': 2**70, 'e': (1, -2, 300, 70000), 'f': 'é'}, protocol=2)
        var d = Assert.IsType<Dictionary<object, object?>>(Pickle.Load(Convert.FromBase64String(
            "gAJ9cQAoWAEAAABhcQFHP/gAAAAAAABYAQAAAGJxAk5YAQAAAGNxA4hYAQAAAGRxBIoJAAAAAAAAAABAWAEAAABlcQUoSwFK/v///00sAUpwEQEAdHEGWAEAAABmcQdYAgAAAMOpcQh1Lg=="), "fixture"));
        Assert.Equal(1.5, d["a"]);
        Assert.Null(d["b"]);
        Assert.Equal(true, d["c"]);
        Assert.Equal(BigInteger.Pow(2, 70), d["d"]);
        Assert.Equal(new object?[] { 1L, -2L, 300L, 70000L }, (object?[])d["e"]!);
        Assert.Equal("é", d["f"]);
    }

    // Made by numpy 1.24 / CPython 3.11: pickle.dumps({'labels': [np.int64(3), np.int64(1)],
    //   'feat': np.arange(6, dtype=np.float32).reshape(2, 3), 'ids': np.array([5, 6], dtype=np.int64)}, protocol=2 and 4)
    [Theory]
    [InlineData("gAJ9cQAoWAYAAABsYWJlbHNxAV1xAihjbnVtcHkuY29yZS5tdWx0aWFycmF5CnNjYWxhcgpxA2NudW1weQpkdHlwZQpxBFgCAAAAaThxBYmIh3EGUnEHKEsDWAEAAAA8cQhOTk5K/////0r/////SwB0cQliY19jb2RlY3MKZW5jb2RlCnEKWAgAAAADAAAAAAAAAHELWAYAAABsYXRpbjFxDIZxDVJxDoZxD1JxEGgDaAdoClgIAAAAAQAAAAAAAABxEWgMhnESUnEThnEUUnEVZVgEAAAAZmVhdHEWY251bXB5LmNvcmUubXVsdGlhcnJheQpfcmVjb25zdHJ1Y3QKcRdjbnVtcHkKbmRhcnJheQpxGEsAhXEZaApYAQAAAGJxGmgMhnEbUnEch3EdUnEeKEsBSwJLA4ZxH2gEWAIAAABmNHEgiYiHcSFScSIoSwNoCE5OTkr/////Sv////9LAHRxI2KJaApYGwAAAAAAAAAAAMKAPwAAAEAAAEBAAADCgEAAAMKgQHEkaAyGcSVScSZ0cSdiWAMAAABpZHNxKGgXaBhLAIVxKWgch3EqUnErKEsBSwKFcSxoB4loClgQAAAABQAAAAAAAAAGAAAAAAAAAHEtaAyGcS5ScS90cTBidS4=")]
    [InlineData("gASVQQEAAAAAAAB9lCiMBmxhYmVsc5RdlCiMFW51bXB5LmNvcmUubXVsdGlhcnJheZSMBnNjYWxhcpSTlIwFbnVtcHmUjAVkdHlwZZSTlIwCaTiUiYiHlFKUKEsDjAE8lE5OTkr/////Sv////9LAHSUYkMIAwAAAAAAAACUhpRSlGgFaAtDCAEAAAAAAAAAlIaUUpRljARmZWF0lGgDjAxfcmVjb25zdHJ1Y3SUk5RoBowHbmRhcnJheZSTlEsAhZRDAWKUh5RSlChLAUsCSwOGlGgIjAJmNJSJiIeUUpQoSwNoDE5OTkr/////Sv////9LAHSUYolDGAAAAAAAAIA/AAAAQAAAQEAAAIBAAACgQJR0lGKMA2lkc5RoFmgYSwCFlGgah5RSlChLAUsChZRoC4lDEAUAAAAAAAAABgAAAAAAAACUdJRidS4=")]
    public void ReadsNumpyArraysAndScalars(string base64)
    {
        var d = Assert.IsType<Dictionary<object, object?>>(Pickle.Load(Convert.FromBase64String(base64), "fixture"));
        Assert.Equal(new List<object?> { 3L, 1L }, d["labels"]);
        var feat = Assert.IsType<PickledArray>(d["feat"]);
        Assert.Equal("<f4", feat.Descr);
        Assert.Equal([2L, 3L], feat.Shape);
        Assert.Equal([0f, 1, 2, 3, 4, 5], feat.ToFloat32());
        Assert.Equal([5f, 6], Assert.IsType<PickledArray>(d["ids"]).ToFloat32());
    }

    [Fact]
    public void WriterOutputReadsBack()
    {
        var path = Path.Combine(TestPaths.TempDir("pickle"), "x.pkl");
        var value = new object?[] { new Dictionary<object, object?> { ["k"] = new List<object?> { 1L, "two", 3.5, null, false } }, new List<object?> { "v" }, 5_000_000_000L };
        Pickle.Write(path, value);
        var back = Assert.IsType<object?[]>(Pickle.Load(path));
        Assert.Equal(new List<object?> { 1L, "two", 3.5, null, false }, ((Dictionary<object, object?>)back[0]!)["k"]);
        Assert.Equal(5_000_000_000L, back[2]);
    }

    [Fact]
    public void RefusesArbitraryClassesNamingTheFile()
    {
        // pickle of os.system: a GLOBAL the reader must not build
        var bytes = "cos\nsystem\n(S'echo hi'\ntR."u8.ToArray();
        var e = Assert.Throws<InvalidDataException>(() => Pickle.Load(bytes, "evil.pkl"));
        Assert.Contains("evil.pkl", e.Message);
        Assert.Contains("os.system", e.Message);
    }
}
