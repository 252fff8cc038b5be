using System.Buffers.Binary;
using System.Text;

namespace Repro.Data.Audio;

/// <summary>Decoded audio: one array per channel, all of the same length, samples scaled to [-1, 1).</summary>
public sealed record WavAudio(int SampleRate, int Channels, float[][] ChannelSamples)
{
    /// <summary>Samples per channel.</summary>
    public int Length => ChannelSamples.Length == 0 ? 0 : ChannelSamples[0].Length;

    /// <summary>The average of the channels (librosa.to_mono, used by librosa.load(mono=True)); the channel itself when mono.</summary>
    public float[] Mono()
    {
        if (Channels == 1) return (float[])ChannelSamples[0].Clone();
        var n = Length;
        var mono = new float[n];
        for (var i = 0; i < n; i++)
        {
            double s = 0;
            for (var c = 0; c < Channels; c++) s += ChannelSamples[c][i];
            mono[i] = (float)(s / Channels);
        }
        return mono;
    }
}

/// <summary>
/// RIFF/WAVE reading (PCM 8/16/24/32-bit, IEEE float 32/64, WAVE_FORMAT_EXTENSIBLE with a PCM or float
/// subformat) and 16-bit PCM mono writing. Integers are scaled as soundfile/torchaudio do: int / 2^(bits-1),
/// 8-bit (unsigned) as (u - 128) / 128.
/// </summary>
public static class WavFile
{
    const ushort FormatPcm = 1;
    const ushort FormatFloat = 3;
    const ushort FormatExtensible = 0xFFFE;

    // KSDATAFORMAT_SUBTYPE_* GUIDs: the format code in the first two bytes, then this fixed tail (mmreg.h).
    static readonly byte[] SubformatGuidTail = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];

    static readonly Dictionary<int, string> FormatNames = new()
    {
        [0x0001] = "PCM",
        [0x0002] = "Microsoft ADPCM",
        [0x0003] = "IEEE float",
        [0x0006] = "A-law",
        [0x0007] = "mu-law",
        [0x0011] = "IMA ADPCM",
        [0x0031] = "GSM 6.10",
        [0x0050] = "MPEG",
        [0x0055] = "MP3",
        [0x00FF] = "AAC",
        [0x2000] = "Dolby AC-3",
        [0xF1AC] = "FLAC",
        [0xFFFE] = "extensible",
    };

    sealed record Format(ushort Code, int Channels, int SampleRate, int BlockAlign, int BitsPerSample);

    /// <summary>Reads a WAV file; throws <see cref="FileNotFoundException"/> or <see cref="InvalidDataException"/> naming the file and the field at fault.</summary>
    public static WavAudio Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: WAV file not found", path);
        var b = File.ReadAllBytes(path);
        if (b.Length < 12)
            throw new InvalidDataException($"{path}: file is {b.Length} bytes; expected a RIFF/WAVE header of at least 12 bytes");
        var riff = FourCc(b, 0);
        if (riff != "RIFF")
        {
            var hint = riff switch
            {
                "RIFX" => " (big-endian RIFX is not supported)",
                "RF64" => " (RF64 is not supported)",
                _ => "",
            };
            throw new InvalidDataException($"{path}: RIFF header id is '{Printable(riff)}'{hint}; expected 'RIFF'");
        }
        var wave = FourCc(b, 8);
        if (wave != "WAVE")
            throw new InvalidDataException($"{path}: RIFF form type is '{Printable(wave)}'; expected 'WAVE'");

        Format? fmt = null;
        long dataStart = -1, dataSize = 0;
        long pos = 12;
        // The RIFF size field is often wrong in the wild; chunks are walked up to the end of the file instead.
        while (pos + 8 <= b.Length)
        {
            var id = FourCc(b, (int)pos);
            long size = BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan((int)pos + 4));
            var body = pos + 8;
            var available = b.Length - body;
            if (id == "fmt ")
            {
                if (size > available)
                    throw new InvalidDataException($"{path}: fmt chunk declares {size} bytes but only {available} remain; file truncated");
                fmt = ParseFormat(path, b.AsSpan((int)body, (int)size));
            }
            else if (id == "data")
            {
                // 0xFFFFFFFF: length unknown when written (a streamed WAV); the data runs to the end of the file.
                if (size == uint.MaxValue) size = available;
                if (size > available)
                    throw new InvalidDataException($"{path}: data chunk declares {size} bytes but only {available} remain; file truncated");
                dataStart = body;
                dataSize = size;
            }
            else if (size > available)
            {
                break;
            }
            pos = body + size + (size & 1);
        }

        if (fmt is null) throw new InvalidDataException($"{path}: no fmt chunk; expected a 'fmt ' chunk describing the sample format");
        if (dataStart < 0) throw new InvalidDataException($"{path}: no data chunk; expected a 'data' chunk holding the samples");

        var frames = (int)(dataSize / fmt.BlockAlign);
        var channels = new float[fmt.Channels][];
        for (var c = 0; c < fmt.Channels; c++) channels[c] = new float[frames];
        var bytesPer = fmt.BitsPerSample / 8;
        var src = b.AsSpan((int)dataStart, frames * fmt.BlockAlign);
        for (var f = 0; f < frames; f++)
            for (var c = 0; c < fmt.Channels; c++)
                channels[c][f] = Decode(src.Slice(f * fmt.BlockAlign + c * bytesPer, bytesPer), fmt.Code, fmt.BitsPerSample);
        return new WavAudio(fmt.SampleRate, fmt.Channels, channels);
    }

    /// <summary>
    /// Writes mono 16-bit PCM: samples clipped to [-1, 1], then round(x * 32767). Written to a temporary file in the
    /// same folder and moved into place, so readers never see a partial file.
    /// </summary>
    /// <remarks>
    /// Writing scales by 32767 and <see cref="Read"/> by 1/32768 (libsndfile's and torchaudio's conventions), so a
    /// sample x comes back within (|x| + 0.5) / 32768 of itself, not within half a step.
    /// </remarks>
    public static void WritePcm16(string path, float[] mono, int sampleRate)
    {
        ArgumentNullException.ThrowIfNull(mono);
        if (sampleRate <= 0) throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, $"{path}: sample rate must be positive");
        const long maxSamples = (uint.MaxValue - 36L) / 2;
        if (mono.Length > maxSamples)
            throw new ArgumentException($"{path}: {mono.Length} samples exceed the 4 GB limit of a RIFF file ({maxSamples} at 16 bits)", nameof(mono));

        var dataBytes = mono.Length * 2;
        var buf = new byte[44 + dataBytes];
        var s = buf.AsSpan();
        Encoding.ASCII.GetBytes("RIFF", s);
        BinaryPrimitives.WriteUInt32LittleEndian(s[4..], (uint)(36 + dataBytes));
        Encoding.ASCII.GetBytes("WAVE", s[8..]);
        Encoding.ASCII.GetBytes("fmt ", s[12..]);
        BinaryPrimitives.WriteUInt32LittleEndian(s[16..], 16);
        BinaryPrimitives.WriteUInt16LittleEndian(s[20..], FormatPcm);
        BinaryPrimitives.WriteUInt16LittleEndian(s[22..], 1);
        BinaryPrimitives.WriteUInt32LittleEndian(s[24..], (uint)sampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(s[28..], (uint)sampleRate * 2);
        BinaryPrimitives.WriteUInt16LittleEndian(s[32..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(s[34..], 16);
        Encoding.ASCII.GetBytes("data", s[36..]);
        BinaryPrimitives.WriteUInt32LittleEndian(s[40..], (uint)dataBytes);
        for (var i = 0; i < mono.Length; i++)
        {
            var x = mono[i];
            if (float.IsNaN(x)) throw new ArgumentException($"{path}: sample {i} is NaN; expected finite samples", nameof(mono));
            var v = (short)Math.Round(Math.Clamp(x, -1f, 1f) * 32767.0);
            BinaryPrimitives.WriteInt16LittleEndian(s[(44 + 2 * i)..], v);
        }

        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        var tmp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Interlocked.Increment(ref _tmpCounter)}.tmp");
        try
        {
            File.WriteAllBytes(tmp, buf);
            File.Move(tmp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }

    static long _tmpCounter;

    static Format ParseFormat(string path, ReadOnlySpan<byte> c)
    {
        if (c.Length < 16) throw new InvalidDataException($"{path}: fmt chunk is {c.Length} bytes; expected at least 16");
        var code = BinaryPrimitives.ReadUInt16LittleEndian(c);
        int channels = BinaryPrimitives.ReadUInt16LittleEndian(c[2..]);
        var rate = BinaryPrimitives.ReadUInt32LittleEndian(c[4..]);
        int blockAlign = BinaryPrimitives.ReadUInt16LittleEndian(c[12..]);
        int bits = BinaryPrimitives.ReadUInt16LittleEndian(c[14..]);

        if (code == FormatExtensible)
        {
            if (c.Length < 40)
                throw new InvalidDataException($"{path}: fmt chunk of WAVE_FORMAT_EXTENSIBLE is {c.Length} bytes; expected 40");
            var guid = c.Slice(24, 16);
            if (!guid[2..].SequenceEqual(SubformatGuidTail))
                throw new InvalidDataException($"{path}: fmt extensible subformat GUID {new Guid(guid)} is not a WAVE format GUID; expected PCM or IEEE float");
            var sub = BinaryPrimitives.ReadUInt16LittleEndian(guid);
            if (sub != FormatPcm && sub != FormatFloat)
                throw new InvalidDataException($"{path}: fmt extensible subformat {sub} ({FormatName(sub)}); expected 1 (PCM) or 3 (IEEE float)");
            code = sub;
        }
        else if (code != FormatPcm && code != FormatFloat)
        {
            throw new InvalidDataException($"{path}: fmt chunk audio format {code} ({FormatName(code)}); expected 1 (PCM) or 3 (IEEE float)");
        }

        if (channels == 0) throw new InvalidDataException($"{path}: fmt chunk channels is 0; expected at least 1");
        if (rate == 0) throw new InvalidDataException($"{path}: fmt chunk sample rate is 0; expected a positive rate");
        if (rate > int.MaxValue) throw new InvalidDataException($"{path}: fmt chunk sample rate is {rate}; expected at most {int.MaxValue}");
        if (code == FormatPcm && bits is not (8 or 16 or 24 or 32))
            throw new InvalidDataException($"{path}: fmt chunk bits per sample is {bits} for PCM; expected 8, 16, 24 or 32");
        if (code == FormatFloat && bits is not (32 or 64))
            throw new InvalidDataException($"{path}: fmt chunk bits per sample is {bits} for IEEE float; expected 32 or 64");
        var expectedAlign = channels * bits / 8;
        if (blockAlign != expectedAlign)
            throw new InvalidDataException($"{path}: fmt chunk block align is {blockAlign}; expected {expectedAlign} ({channels} channels x {bits / 8} bytes)");
        return new Format(code, channels, (int)rate, blockAlign, bits);
    }

    static float Decode(ReadOnlySpan<byte> s, ushort code, int bits)
    {
        if (code == FormatFloat)
            return bits == 32 ? BinaryPrimitives.ReadSingleLittleEndian(s) : (float)BinaryPrimitives.ReadDoubleLittleEndian(s);
        return bits switch
        {
            8 => (s[0] - 128) / 128f,
            16 => BinaryPrimitives.ReadInt16LittleEndian(s) / 32768f,
            24 => ((s[0] | (s[1] << 8) | (s[2] << 16)) << 8 >> 8) / 8388608f,
            _ => (float)(BinaryPrimitives.ReadInt32LittleEndian(s) / 2147483648.0),
        };
    }

    static string FormatName(int code) => FormatNames.TryGetValue(code, out var n) ? n : "unknown";

    static string FourCc(byte[] b, int at) => Encoding.ASCII.GetString(b, at, 4);

    static string Printable(string s) => new(s.Select(ch => ch is >= ' ' and <= '~' ? ch : '?').ToArray());
}
