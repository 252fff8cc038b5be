using System.Text;
using Repro.Data.Formats;

namespace Repro.Tests.Data.Formats;

public class NpyFileTests
{
    [Fact]
    public void Float32AndInt64AndStringsRoundTrip()
    {
        var dir = TestPaths.TempDir("npy");
        var f = Path.Combine(dir, "a.npy");
        NpyFile.WriteFloat32(f, [1.5f, -2, 3, 4, 5, 6], [2, 3]);
        var (data, shape) = NpyFile.ReadFloat32(f);
        Assert.Equal([2L, 3L], shape);
        Assert.Equal([1.5f, -2, 3, 4, 5, 6], data);
        Assert.Equal(0, (new FileInfo(f).Length - 6 * 4) % 64); // header padded to 64 bytes (format 1.0)
        Assert.Equal("<f4", NpyFile.ReadHeader(f).Descr);

        var i = Path.Combine(dir, "i.npy");
        NpyFile.WriteInt64(i, [3, -1, 7], [3]);
        Assert.Equal([3L, -1, 7], NpyFile.ReadInt64(i).Data);

        var s = Path.Combine(dir, "s.npy");
        NpyFile.WriteStrings(s, ["Ses01F_impro01_F000", "x"]);
        Assert.Equal(["Ses01F_impro01_F000", "x"], NpyFile.ReadStrings(s));
    }

    static byte[] Npy(string descr, string shape, bool fortran, byte[] data)
    {
        var header = $"{{'descr': '{descr}', 'fortran_order': {(fortran ? "True" : "False")}, 'shape': {shape}, }}";
        header += new string(' ', (64 - (10 + header.Length + 1) % 64) % 64) + "\n";
        var ms = new MemoryStream();
        ms.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0]);
        ms.Write(BitConverter.GetBytes((ushort)header.Length));
        ms.Write(Encoding.ASCII.GetBytes(header));
        ms.Write(data);
        return ms.ToArray();
    }

    [Fact]
    public void ReadsOtherNumericTypesAndFortranOrder()
    {
        var dir = TestPaths.TempDir("npy");
        var f8 = Path.Combine(dir, "f8.npy");
        File.WriteAllBytes(f8, Npy("<f8", "(2,)", false, [.. BitConverter.GetBytes(0.25), .. BitConverter.GetBytes(-8.0)]));
        Assert.Equal([0.25f, -8f], NpyFile.ReadFloat32(f8).Data);

        var f2 = Path.Combine(dir, "f2.npy");
        File.WriteAllBytes(f2, Npy("<f2", "(1,)", false, BitConverter.GetBytes((Half)1.5)));
        Assert.Equal([1.5f], NpyFile.ReadFloat32(f2).Data);

        // [[1, 2, 3], [4, 5, 6]] stored column-major: 1 4 2 5 3 6
        var fo = Path.Combine(dir, "fo.npy");
        File.WriteAllBytes(fo, Npy("<i4", "(2, 3)", true, new[] { 1, 4, 2, 5, 3, 6 }.SelectMany(BitConverter.GetBytes).ToArray()));
        Assert.Equal([1f, 2, 3, 4, 5, 6], NpyFile.ReadFloat32(fo).Data);
    }

    [Fact]
    public void ReadsFilesWrittenByNumpy()
    {
        var dir = TestPaths.TempDir("npy");
        // np.save(f, np.array([[1.5, 2], [3, 4]], dtype='>f8')) and np.save(f, np.array(['Ses01F_impro01_F000', 'ab'])), numpy 1.24
        var big = Path.Combine(dir, "big.npy");
        File.WriteAllBytes(big, Convert.FromBase64String("k05VTVBZAQB2AHsnZGVzY3InOiAnPmY4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDIpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAo/+AAAAAAAAEAAAAAAAAAAQAgAAAAAAABAEAAAAAAAAA=="));
        var (data, shape) = NpyFile.ReadFloat32(big);
        Assert.Equal([1.5f, 2, 3, 4], data);
        Assert.Equal([2L, 2L], shape);
        var str = Path.Combine(dir, "str.npy");
        File.WriteAllBytes(str, Convert.FromBase64String("k05VTVBZAQB2AHsnZGVzY3InOiAnPFUxOScsICdmb3J0cmFuX29yZGVyJzogRmFsc2UsICdzaGFwZSc6ICgyLCksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIApTAAAAZQAAAHMAAAAwAAAAMQAAAEYAAABfAAAAaQAAAG0AAABwAAAAcgAAAG8AAAAwAAAAMQAAAF8AAABGAAAAMAAAADAAAAAwAAAAYQAAAGIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=="));
        Assert.Equal(["Ses01F_impro01_F000", "ab"], NpyFile.ReadStrings(str));
    }

    [Fact]
    public void BadFilesNameTheFileAndWhatIsWrong()
    {
        var dir = TestPaths.TempDir("npy");
        var notNpy = Path.Combine(dir, "x.npy");
        File.WriteAllText(notNpy, "hello world, not numpy");
        Assert.Contains(notNpy, Assert.Throws<InvalidDataException>(() => NpyFile.ReadFloat32(notNpy)).Message);

        var truncated = Path.Combine(dir, "t.npy");
        File.WriteAllBytes(truncated, Npy("<f4", "(4,)", false, new byte[8]));
        var e = Assert.Throws<InvalidDataException>(() => NpyFile.ReadFloat32(truncated));
        Assert.Contains(truncated, e.Message);
        Assert.Contains("truncated", e.Message);

        var obj = Path.Combine(dir, "o.npy");
        File.WriteAllBytes(obj, Npy("|O", "(1,)", false, new byte[8]));
        Assert.Contains("Python objects", Assert.Throws<InvalidDataException>(() => NpyFile.ReadHeader(obj)).Message);

        var missing = Path.Combine(dir, "missing.npy");
        Assert.Contains(missing, Assert.Throws<FileNotFoundException>(() => NpyFile.ReadFloat32(missing)).Message);
    }
}
