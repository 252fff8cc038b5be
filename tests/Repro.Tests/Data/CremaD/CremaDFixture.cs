using System.Text;
using Repro.Data.Audio;
using Repro.Data.Images;

namespace Repro.Tests.Data.CremaD;

/// <summary>Writes small CREMA-D folders (OGM-GE layout) with chosen clips, frames and list lines, for loader tests.</summary>
public static class CremaDFixture
{
    public static string NewRoot() => TestPaths.TempDir("cremad");

    /// <summary>A 1.2 s 16 kHz tone as the clip's WAV.</summary>
    public static void Wav(string root, string name, double hz = 440)
    {
        var x = new float[19200];
        for (int i = 0; i < x.Length; i++) x[i] = (float)(0.3 * Math.Sin(2 * Math.PI * hz * i / 16000));
        Directory.CreateDirectory(Path.Combine(root, "AudioWAV"));
        WavFile.WritePcm16(Path.Combine(root, "AudioWAV", name + ".wav"), x, 16000);
    }

    /// <summary>A solid-colour frame file in the clip's frame folder.</summary>
    public static void Frame(string root, string name, string file, byte r, byte g, byte b)
    {
        var dir = Path.Combine(root, "Image-01-FPS", name);
        Directory.CreateDirectory(dir);
        var px = new byte[40 * 30 * 3];
        for (int i = 0; i < px.Length; i += 3) { px[i] = r; px[i + 1] = g; px[i + 2] = b; }
        ImageFile.WriteJpeg(Path.Combine(dir, file), new RgbImage(40, 30, px), 95);
    }

    /// <summary>A clip with audio and one grey frame.</summary>
    public static void Clip(string root, string name)
    {
        Wav(root, name);
        Frame(root, name, "00000.jpg", 128, 128, 128);
    }

    public static void List(string root, string file, params string[] lines) =>
        File.WriteAllText(Path.Combine(root, file), string.Join("\n", lines) + "\n", new UTF8Encoding(true));
}
