using System.Buffers.Binary;
using System.Text;
using Repro.Data.Audio;

namespace Repro.Tests.Data.Audio;

public class WavFileTests : IDisposable
{
    readonly string _dir = TestPaths.TempDir("wav");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string Save(string name, byte[] bytes)
    {
        var p = Path.Combine(_dir, name);
        File.WriteAllBytes(p, bytes);
        return p;
    }

    static byte[] Chunk(string id, byte[] body)
    {
        var padded = body.Length + (body.Length & 1);
        var c = new byte[8 + padded];
        Encoding.ASCII.GetBytes(id, c);
        BinaryPrimitives.WriteUInt32LittleEndian(c.AsSpan(4), (uint)body.Length);
        body.CopyTo(c, 8);
        return c;
    }

    static byte[] Fmt(ushort code, int channels, int rate, int bits, int? blockAlign = null)
    {
        var f = new byte[16];
        var align = blockAlign ?? channels * bits / 8;
        BinaryPrimitives.WriteUInt16LittleEndian(f, code);
        BinaryPrimitives.WriteUInt16LittleEndian(f.AsSpan(2), (ushort)channels);
        BinaryPrimitives.WriteUInt32LittleEndian(f.AsSpan(4), (uint)rate);
        BinaryPrimitives.WriteUInt32LittleEndian(f.AsSpan(8), (uint)(rate * align));
        BinaryPrimitives.WriteUInt16LittleEndian(f.AsSpan(12), (ushort)align);
        BinaryPrimitives.WriteUInt16LittleEndian(f.AsSpan(14), (ushort)bits);
        return f;
    }

    static byte[] FmtExtensible(ushort subformat, int channels, int rate, int bits)
    {
        var f = new byte[40];
        Fmt(0xFFFE, channels, rate, bits).CopyTo(f, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(f.AsSpan(16), 22);
        BinaryPrimitives.WriteUInt16LittleEndian(f.AsSpan(18), (ushort)bits);
        BinaryPrimitives.WriteUInt32LittleEndian(f.AsSpan(20), channels == 1 ? 4u : 3u);
        BinaryPrimitives.WriteUInt16LittleEndian(f.AsSpan(24), subformat);
        byte[] tail = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];
        tail.CopyTo(f, 26);
        return f;
    }

    static byte[] Riff(params byte[][] chunks)
    {
        var body = chunks.SelectMany(c => c).ToArray();
        var r = new byte[12 + body.Length];
        Encoding.ASCII.GetBytes("RIFF", r);
        BinaryPrimitives.WriteUInt32LittleEndian(r.AsSpan(4), (uint)(4 + body.Length));
        Encoding.ASCII.GetBytes("WAVE", r.AsSpan(8));
        body.CopyTo(r, 12);
        return r;
    }

    static byte[] Int24(params int[] v) => v.SelectMany(x => new[] { (byte)x, (byte)(x >> 8), (byte)(x >> 16) }).ToArray();
    static byte[] Int32s(params int[] v) => v.SelectMany(BitConverter.GetBytes).ToArray();
    static byte[] Int16s(params short[] v) => v.SelectMany(BitConverter.GetBytes).ToArray();

    [Fact]
    public void WrittenFileReadsBackWithinOneQuantisationStep()
    {
        var x = Enumerable.Range(0, 1000).Select(i => (float)(0.9 * Math.Sin(i * 0.05))).ToArray();
        x[0] = 1f;
        x[1] = -1f;
        var p = Path.Combine(_dir, "round.wav");
        WavFile.WritePcm16(p, x, 16000);
        var a = WavFile.Read(p);
        Assert.Equal(16000, a.SampleRate);
        Assert.Equal(1, a.Channels);
        Assert.Equal(x.Length, a.Length);
        // The writer scales by 32767 and the reader by 1/32768 (libsndfile's and torchaudio's conventions), so a
        // sample comes back within (|x| + 0.5) / 32768: half a step of rounding plus the scale mismatch.
        for (var i = 0; i < x.Length; i++)
        {
            var back = a.ChannelSamples[0][i];
            Assert.Equal(Math.Round(x[i] * 32767.0), back * 32768.0);
            Assert.True(Math.Abs(back - x[i]) <= (Math.Abs(x[i]) + 0.5) / 32768 + 1e-9, $"sample {i}: {back} vs {x[i]}");
        }
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp"));
        Assert.Equal(44 + 2 * x.Length, new FileInfo(p).Length);
    }

    [Fact]
    public void WriterClipsToUnitRangeAndRoundsToNearest()
    {
        var p = Path.Combine(_dir, "clip.wav");
        WavFile.WritePcm16(p, [1.5f, -3f, 2.4f / 32767, 2.6f / 32767, -2.6f / 32767, 0f], 8000);
        var raw = File.ReadAllBytes(p);
        var samples = Enumerable.Range(0, 6).Select(i => BinaryPrimitives.ReadInt16LittleEndian(raw.AsSpan(44 + 2 * i))).ToArray();
        Assert.Equal(new short[] { 32767, -32767, 2, 3, -3, 0 }, samples);
    }

    [Fact]
    public void WriterReplacesAnExistingFile()
    {
        var p = Path.Combine(_dir, "again.wav");
        WavFile.WritePcm16(p, new float[10], 8000);
        WavFile.WritePcm16(p, new float[3], 16000);
        var a = WavFile.Read(p);
        Assert.Equal(3, a.Length);
        Assert.Equal(16000, a.SampleRate);
    }

    [Fact]
    public void Reads8BitUnsigned()
    {
        var a = WavFile.Read(Save("u8.wav", Riff(Chunk("fmt ", Fmt(1, 1, 8000, 8)), Chunk("data", [0, 128, 255, 64]))));
        Assert.Equal(new[] { -1f, 0f, 127f / 128, -0.5f }, a.ChannelSamples[0]);
    }

    [Fact]
    public void Reads16BitSigned()
    {
        var a = WavFile.Read(Save("s16.wav", Riff(Chunk("fmt ", Fmt(1, 1, 8000, 16)), Chunk("data", Int16s(short.MinValue, 16384, -1)))));
        Assert.Equal(new[] { -1f, 0.5f, -1f / 32768 }, a.ChannelSamples[0]);
    }

    [Fact]
    public void Reads24BitSigned()
    {
        var a = WavFile.Read(Save("s24.wav", Riff(Chunk("fmt ", Fmt(1, 1, 48000, 24)), Chunk("data", Int24(-8388608, 8388607, 4194304, -1, 0)))));
        Assert.Equal(5, a.Length);
        Assert.Equal(-1f, a.ChannelSamples[0][0]);
        Assert.Equal(8388607f / 8388608f, a.ChannelSamples[0][1]);
        Assert.Equal(0.5f, a.ChannelSamples[0][2]);
        Assert.Equal(-1f / 8388608f, a.ChannelSamples[0][3]);
        Assert.Equal(0f, a.ChannelSamples[0][4]);
    }

    [Fact]
    public void Reads32BitSigned()
    {
        var a = WavFile.Read(Save("s32.wav", Riff(Chunk("fmt ", Fmt(1, 1, 44100, 32)), Chunk("data", Int32s(int.MinValue, 1 << 30, -(1 << 29))))));
        Assert.Equal(new[] { -1f, 0.5f, -0.25f }, a.ChannelSamples[0]);
        Assert.Equal(44100, a.SampleRate);
    }

    [Fact]
    public void ReadsFloat32AndFloat64()
    {
        var f32 = new[] { 0.25f, -0.75f, 1.5f }.SelectMany(BitConverter.GetBytes).ToArray();
        var a = WavFile.Read(Save("f32.wav", Riff(Chunk("fmt ", Fmt(3, 1, 22050, 32)), Chunk("data", f32))));
        Assert.Equal(new[] { 0.25f, -0.75f, 1.5f }, a.ChannelSamples[0]);

        var f64 = new[] { 0.125, -0.5 }.SelectMany(BitConverter.GetBytes).ToArray();
        var b = WavFile.Read(Save("f64.wav", Riff(Chunk("fmt ", Fmt(3, 1, 22050, 64)), Chunk("data", f64))));
        Assert.Equal(new[] { 0.125f, -0.5f }, b.ChannelSamples[0]);
    }

    [Fact]
    public void ReadsExtensibleWithPcmAndFloatSubformats()
    {
        var pcm = WavFile.Read(Save("ext16.wav", Riff(Chunk("fmt ", FmtExtensible(1, 1, 16000, 16)), Chunk("data", Int16s(8192, -8192)))));
        Assert.Equal(new[] { 0.25f, -0.25f }, pcm.ChannelSamples[0]);

        var flt = WavFile.Read(Save("extf.wav", Riff(Chunk("fmt ", FmtExtensible(3, 2, 16000, 32)),
            Chunk("data", new[] { 0.5f, -0.5f, 0.25f, 1f }.SelectMany(BitConverter.GetBytes).ToArray()))));
        Assert.Equal(2, flt.Channels);
        Assert.Equal(new[] { 0.5f, 0.25f }, flt.ChannelSamples[0]);
        Assert.Equal(new[] { -0.5f, 1f }, flt.ChannelSamples[1]);
    }

    [Fact]
    public void StereoIsDeinterleavedAndMonoAveragesTheChannels()
    {
        var a = WavFile.Read(Save("stereo.wav", Riff(Chunk("fmt ", Fmt(1, 2, 16000, 16)), Chunk("data", Int16s(16384, -16384, 8192, 24576, 0, -32768)))));
        Assert.Equal(2, a.Channels);
        Assert.Equal(new[] { 0.5f, 0.25f, 0f }, a.ChannelSamples[0]);
        Assert.Equal(new[] { -0.5f, 0.75f, -1f }, a.ChannelSamples[1]);
        Assert.Equal(new[] { 0f, 0.5f, -0.5f }, a.Mono());
    }

    [Fact]
    public void OddSizedUnknownChunksAreSkippedWithTheirPadByte()
    {
        var bytes = Riff(
            Chunk("LIST", [1, 2, 3]),
            Chunk("fmt ", Fmt(1, 1, 16000, 16)),
            Chunk("junk", [9, 9, 9, 9, 9]),
            Chunk("data", Int16s(16384, -16384, 1)),
            Chunk("id3 ", [7]));
        var a = WavFile.Read(Save("chunks.wav", bytes));
        Assert.Equal(new[] { 0.5f, -0.5f, 1f / 32768 }, a.ChannelSamples[0]);
    }

    [Fact]
    public void ReadsTheFrontendFixture()
    {
        var a = WavFile.Read(Path.Combine(TestPaths.Frontend, "chirp-16k-2.5s.wav"));
        Assert.Equal(16000, a.SampleRate);
        Assert.Equal(1, a.Channels);
        Assert.Equal(40000, a.Length);
        // First samples as Python's wave module reads them: 1113, 2412, 4724 (int16).
        Assert.Equal(new[] { 1113f / 32768, 2412f / 32768, 4724f / 32768 }, a.ChannelSamples[0][..3]);
    }

    static void AssertFails<T>(Action read, params string[] fragments) where T : Exception
    {
        var e = Assert.Throws<T>(read);
        foreach (var f in fragments) Assert.Contains(f, e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void MissingFileNamesTheFile()
    {
        var p = Path.Combine(_dir, "nowhere.wav");
        AssertFails<FileNotFoundException>(() => WavFile.Read(p), "nowhere.wav", "not found");
    }

    [Fact]
    public void NonRiffFileNamesTheHeader()
    {
        var p = Save("notriff.wav", Encoding.ASCII.GetBytes("OggS-this-is-not-a-wave-file"));
        AssertFails<InvalidDataException>(() => WavFile.Read(p), "notriff.wav", "RIFF header", "OggS");
    }

    [Fact]
    public void RiffButNotWaveNamesTheFormType()
    {
        var bytes = Riff(Chunk("fmt ", Fmt(1, 1, 16000, 16)));
        Encoding.ASCII.GetBytes("AVI ", bytes.AsSpan(8));
        AssertFails<InvalidDataException>(() => WavFile.Read(Save("avi.wav", bytes)), "avi.wav", "form type", "WAVE");
    }

    [Fact]
    public void CompressedFormatsAreNamed()
    {
        var mp3 = Save("mp3.wav", Riff(Chunk("fmt ", Fmt(0x55, 1, 16000, 16)), Chunk("data", [0, 0])));
        AssertFails<InvalidDataException>(() => WavFile.Read(mp3), "mp3.wav", "audio format 85", "MP3", "expected 1 (PCM) or 3 (IEEE float)");
        var ulaw = Save("ulaw.wav", Riff(Chunk("fmt ", Fmt(7, 1, 8000, 8)), Chunk("data", [0, 0])));
        AssertFails<InvalidDataException>(() => WavFile.Read(ulaw), "ulaw.wav", "audio format 7", "mu-law");
        var adpcm = Save("adpcm.wav", Riff(Chunk("fmt ", FmtExtensible(2, 1, 8000, 16)), Chunk("data", [0, 0])));
        AssertFails<InvalidDataException>(() => WavFile.Read(adpcm), "adpcm.wav", "subformat 2", "ADPCM");
    }

    [Fact]
    public void MissingChunksAreNamed()
    {
        var noData = Save("nodata.wav", Riff(Chunk("fmt ", Fmt(1, 1, 16000, 16)), Chunk("LIST", [1, 2])));
        AssertFails<InvalidDataException>(() => WavFile.Read(noData), "nodata.wav", "no data chunk");
        var noFmt = Save("nofmt.wav", Riff(Chunk("data", Int16s(1, 2))));
        AssertFails<InvalidDataException>(() => WavFile.Read(noFmt), "nofmt.wav", "no fmt chunk");
    }

    [Fact]
    public void TruncatedDataIsReported()
    {
        var full = Riff(Chunk("fmt ", Fmt(1, 1, 16000, 16)), Chunk("data", Int16s(1, 2, 3, 4, 5)));
        var cut = Save("cut.wav", full[..^4]);
        AssertFails<InvalidDataException>(() => WavFile.Read(cut), "cut.wav", "data chunk declares 10 bytes", "6 remain", "truncated");
    }

    [Fact]
    public void ZeroChannelsOrRateAreReported()
    {
        var ch = Save("ch0.wav", Riff(Chunk("fmt ", Fmt(1, 0, 16000, 16, blockAlign: 2)), Chunk("data", [0, 0])));
        AssertFails<InvalidDataException>(() => WavFile.Read(ch), "ch0.wav", "channels is 0");
        var sr = Save("sr0.wav", Riff(Chunk("fmt ", Fmt(1, 1, 0, 16)), Chunk("data", [0, 0])));
        AssertFails<InvalidDataException>(() => WavFile.Read(sr), "sr0.wav", "sample rate is 0");
    }

    [Fact]
    public void UnsupportedBitDepthAndBlockAlignAreReported()
    {
        var b12 = Save("b12.wav", Riff(Chunk("fmt ", Fmt(1, 1, 16000, 12, blockAlign: 2)), Chunk("data", [0, 0])));
        AssertFails<InvalidDataException>(() => WavFile.Read(b12), "b12.wav", "bits per sample is 12");
        var f16 = Save("f16.wav", Riff(Chunk("fmt ", Fmt(3, 1, 16000, 16)), Chunk("data", [0, 0])));
        AssertFails<InvalidDataException>(() => WavFile.Read(f16), "f16.wav", "bits per sample is 16 for IEEE float");
        var align = Save("align.wav", Riff(Chunk("fmt ", Fmt(1, 2, 16000, 16, blockAlign: 2)), Chunk("data", [0, 0])));
        AssertFails<InvalidDataException>(() => WavFile.Read(align), "align.wav", "block align is 2", "expected 4");
    }
}
