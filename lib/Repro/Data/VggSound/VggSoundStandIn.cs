using Repro.Data.Audio;
using Repro.Data.Images;

namespace Repro.Data.VggSound;

/// <summary>
/// The recipe of the VGGSound stand-in: six of VGGSound's 309 labels (two of them with commas, which the CSV quotes).
/// Audio, the dominant modality as on VGGSound (audio-only 45% against visual-only 31% in DGL's Table 1), is a pulsed
/// tone whose pitch and pulse rate give the class in <see cref="AudioShown"/> of the clips; the frames show a disc in the
/// class's colour in <see cref="VisualShown"/> of the clips, on a noisy background.
/// </summary>
public sealed record VggSoundStandInRecipe
{
    public int TrainPerClass { get; init; } = 60;
    public int TestPerClass { get; init; } = 20;
    public ulong Seed { get; init; }
    /// <summary>WAV length; the loader tiles it to 10 s (VGGSound's clips last 10 s; the stand-in keeps its files small).</summary>
    public double WavSeconds { get; init; } = 1.5;
    public int SampleRate { get; init; } = 16000;
    public int FrameSize { get; init; } = 64;
    /// <summary>Frames in each clip's 1-fps folder (a real 10 s clip has about ten; the loader takes 3).</summary>
    public int FramesPerClip { get; init; } = 4;
    public double AudioShown { get; init; } = 0.85;
    public double VisualShown { get; init; } = 0.5;
}

public static class VggSoundStandIn
{
    /// <summary>The stand-in's labels in the order the generator draws them (the loader numbers them sorted).</summary>
    public static readonly string[] Classes =
        ["dog barking", "engine accelerating, revving, vroom", "playing acoustic guitar", "bird chirping, tweeting", "church bell ringing", "helicopter"];
    static readonly double[] Pitch = [180, 120, 330, 900, 520, 90];
    static readonly double[] PulsesPerSecond = [3, 0, 6, 9, 1.5, 12];
    static readonly (double R, double G, double B)[] Colour = [(0.85, 0.3, 0.25), (0.3, 0.75, 0.3), (0.3, 0.35, 0.85), (0.85, 0.8, 0.25), (0.75, 0.3, 0.8), (0.3, 0.8, 0.8)];

    /// <summary>Writes the stand-in in DGL's layout; returns (clip id, index into <see cref="Classes"/>) per split ("train", "test").</summary>
    public static Dictionary<string, List<(string Id, int Class)>> Write(string root, VggSoundStandInRecipe r, IProgress<(int Done, int Total)>? progress = null)
    {
        if (Directory.Exists(root) && Directory.EnumerateFileSystemEntries(root).Any())
            throw new IOException($"{root}: folder is not empty; the stand-in is only written into an empty or new folder.");
        Directory.CreateDirectory(root);
        var rng = new Rng(Rng.Derive(r.Seed, 309));
        var result = new Dictionary<string, List<(string, int)>>();
        var rows = new List<(string, int, string, string)>();
        int total = Classes.Length * (r.TrainPerClass + r.TestPerClass), done = 0;
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        foreach (var (split, perClass) in new[] { ("train", r.TrainPerClass), ("test", r.TestPerClass) })
        {
            var list = result[split] = new();
            for (int k = 0; k < perClass; k++)
                for (int c = 0; c < Classes.Length; c++)
                {
                    var yt = new string(Enumerable.Range(0, 11).Select(_ => alphabet[rng.NextInt(alphabet.Length)]).ToArray());
                    int start = rng.NextInt(300);
                    var id = VggSoundCsv.ClipId(yt, start);
                    var clipRng = new Rng(rng.NextULong());
                    var wav = VggSoundDataset.AudioPath(root, split, id);
                    Directory.CreateDirectory(Path.GetDirectoryName(wav)!);
                    WavFile.WritePcm16(wav, Sound(c, r, clipRng), r.SampleRate);
                    var frames = VggSoundDataset.FramePath(root, split, id);
                    Directory.CreateDirectory(frames);
                    bool shown = clipRng.NextDouble() < r.VisualShown;
                    for (int f = 0; f < r.FramesPerClip; f++)   // DGL's extraction names a frame by its index in the 25-fps video
                        ImageFile.WriteJpeg(Path.Combine(frames, $"{f * 25:D5}.jpg"), Disc(r.FrameSize, shown ? Colour[c] : null, clipRng), 90);
                    rows.Add((yt, start, Classes[c], split));
                    list.Add((id, c));
                    progress?.Report((++done, total));
                }
        }
        AtomicFile.WriteAllText(Path.Combine(root, VggSoundCsv.FileName), VggSoundCsv.Format(rows));
        return result;
    }

    static float[] Sound(int c, VggSoundStandInRecipe r, Rng rng)
    {
        int n = (int)Math.Round(r.WavSeconds * r.SampleRate);
        bool shown = rng.NextDouble() < r.AudioShown;
        double f0 = (shown ? Pitch[c] : rng.NextUniform(90, 900)) * (1 + 0.03 * rng.NextGaussian());
        double rate = shown ? PulsesPerSecond[c] : PulsesPerSecond[rng.NextInt(PulsesPerSecond.Length)];
        double phase = rng.NextUniform(0, 2 * Math.PI);
        var y = new float[n];
        for (int i = 0; i < n; i++)
        {
            double t = (double)i / r.SampleRate;
            double envelope = rate == 0 ? 1 : 0.5 + 0.5 * Math.Sin(2 * Math.PI * rate * t + phase);
            double s = Math.Sin(2 * Math.PI * f0 * t) + 0.4 * Math.Sin(4 * Math.PI * f0 * t + 1);
            y[i] = (float)(0.1 * envelope * s + 0.03 * rng.NextGaussian());
        }
        return y;
    }

    static RgbImage Disc(int size, (double R, double G, double B)? colour, Rng rng)
    {
        var px = new byte[size * size * 3];
        double cx = rng.NextUniform(0.3, 0.7) * size, cy = rng.NextUniform(0.3, 0.7) * size, radius = rng.NextUniform(0.15, 0.3) * size;
        // an unshown clip's disc has a random colour, so only the colour (not the disc) tells the class
        var (dr, dg, db) = colour ?? (rng.NextUniform(0.25, 0.9), rng.NextUniform(0.25, 0.9), rng.NextUniform(0.25, 0.9));
        double bg = rng.NextUniform(0.35, 0.6);
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
            {
                bool inside = (x - cx) * (x - cx) + (y - cy) * (y - cy) < radius * radius;
                double[] v = inside ? [dr, dg, db] : [bg, bg, bg];
                for (int ch = 0; ch < 3; ch++)
                    px[(y * size + x) * 3 + ch] = (byte)Math.Clamp(Math.Round((v[ch] + 0.15 * rng.NextGaussian()) * 255), 0, 255);
            }
        return new RgbImage(size, size, px);
    }
}
