using System.Text;
using Repro.Data.Audio;
using Repro.Data.Formats;
using Repro.Data.Images;

namespace Repro.Data.KineticsSounds;

/// <summary>
/// The recipe of the Kinetics-Sounds stand-in: six "instrument" classes; audio (the dominant modality) is a tone whose
/// pitch and harmonics give the class in <see cref="AudioShown"/> of the clips; each clip's three 1-fps frames show a
/// grating at the class orientation in <see cref="VisualShown"/> of the clips.
/// </summary>
public sealed record KsStandInRecipe
{
    public int TrainPerClass { get; init; } = 60;
    public int TestPerClass { get; init; } = 20;
    public ulong Seed { get; init; }
    public KsProtocol Protocol { get; init; } = KsProtocol.OgmGe;
    /// <summary>Fbank rows written per clip (OGM-GE layout); the papers' 1024 is 10 s of audio, the stand-in keeps clips short.</summary>
    public int FbankFrames { get; init; } = 128;
    /// <summary>WAV length (DGL layout); the loader tiles it to 10 s.</summary>
    public double WavSeconds { get; init; } = 1.5;
    public int SampleRate { get; init; } = 16000;
    public int FrameSize { get; init; } = 64;
    public int FramesPerClip { get; init; } = 3;
    public double AudioShown { get; init; } = 0.85;
    public double VisualShown { get; init; } = 0.6;
}

public static class KsStandIn
{
    public static readonly string[] Classes = ["playing_accordion", "playing_bagpipes", "playing_drums", "playing_guitar", "playing_piano", "singing"];
    static readonly double[] Pitch = [220, 330, 150, 410, 520, 280];

    /// <summary>Writes the stand-in in the protocol's layout; returns (clip id, label) per split ("train", "test").</summary>
    public static Dictionary<string, List<(string Id, int Label)>> Write(string dir, KsStandInRecipe r, IProgress<(int Done, int Total)>? progress = null)
    {
        if (Directory.Exists(dir) && Directory.EnumerateFileSystemEntries(dir).Any())
            throw new IOException($"{dir}: folder is not empty; the stand-in is only written into an empty or new folder.");
        Directory.CreateDirectory(dir);
        var rng = new Rng(Rng.Derive(r.Seed, 103));
        var result = new Dictionary<string, List<(string, int)>>();
        int total = Classes.Length * (r.TrainPerClass + r.TestPerClass), done = 0;
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        foreach (var (split, perClass) in new[] { ("train", r.TrainPerClass), ("test", r.TestPerClass) })
        {
            var list = result[split] = new();
            var lines = new StringBuilder();
            for (int k = 0; k < perClass; k++)
                for (int c = 0; c < Classes.Length; c++)
                {
                    var yt = new string(Enumerable.Range(0, 11).Select(_ => alphabet[rng.NextInt(alphabet.Length)]).ToArray());
                    int start = rng.NextInt(300);
                    var id = $"{yt}_{start:D6}_{start + 10:D6}";
                    var clipRng = new Rng(rng.NextULong());
                    var seconds = r.Protocol == KsProtocol.OgmGe ? (r.FbankFrames - 1) * 0.010 + 0.025 : r.WavSeconds;
                    var wave = Tone(c, seconds, r, clipRng);
                    string frameDir;
                    if (r.Protocol == KsProtocol.OgmGe)
                    {
                        using var scope = TorchSharp.torch.NewDisposeScope();
                        var fbank = KaldiFbank.PadOrCrop(KaldiFbank.Compute(KaldiFbank.SubtractWaveformMean(wave), r.SampleRate, new FbankOptions()), r.FbankFrames);
                        Directory.CreateDirectory(Path.Combine(dir, KsDataset.FbankFolder));
                        NpyFile.WriteFloat32(Path.Combine(dir, KsDataset.FbankFolder, id + ".npy"), fbank.data<float>().ToArray(), [r.FbankFrames, 128]);
                        frameDir = Path.Combine(dir, KsDataset.FrameFolder, id);
                        lines.Append(id).Append(",10,").Append(c).Append('\n');
                    }
                    else
                    {
                        var folder = split == "train" ? "train" : "val";
                        var audioDir = Path.Combine(dir, "audio", folder, Classes[c]);
                        Directory.CreateDirectory(audioDir);
                        WavFile.WritePcm16(Path.Combine(audioDir, id + ".wav"), wave, r.SampleRate);
                        frameDir = Path.Combine(dir, "visual", $"{folder}_img", KsDataset.FrameFolder, Classes[c], id);
                    }
                    Directory.CreateDirectory(frameDir);
                    bool shown = clipRng.NextDouble() < r.VisualShown;
                    double theta = (c * 30 + 6 * clipRng.NextGaussian()) * Math.PI / 180;
                    for (int f = 0; f < r.FramesPerClip; f++)
                        ImageFile.WriteJpeg(Path.Combine(frameDir, $"{f + 1:D5}.jpg"), Grating(r.FrameSize, shown ? theta : null, clipRng), 90);
                    list.Add((id, c));
                    progress?.Report((++done, total));
                }
            if (r.Protocol == KsProtocol.OgmGe)
                AtomicFile.WriteAllText(Path.Combine(dir, split == "train" ? "my_train.txt" : "my_test.txt"), lines.ToString());
        }
        AtomicFile.WriteAllText(Path.Combine(dir, KsDataset.ClassesFile), string.Join("\n", Classes) + "\n");
        return result;
    }

    static float[] Tone(int c, double seconds, KsStandInRecipe r, Rng rng)
    {
        int n = (int)Math.Round(seconds * r.SampleRate);
        bool shown = rng.NextDouble() < r.AudioShown;
        double f0 = (shown ? Pitch[c] : rng.NextUniform(140, 540)) * (1 + 0.03 * rng.NextGaussian());
        int pattern = shown ? c % 3 : rng.NextInt(3);
        var y = new float[n];
        for (int i = 0; i < n; i++)
        {
            double t = (double)i / r.SampleRate, s = 0;
            for (int h = 1; h <= 5; h++) s += (h % 3 == pattern ? 1.0 : 0.2) * Math.Sin(2 * Math.PI * f0 * h * t + h);
            y[i] = (float)(0.08 * s + 0.02 * rng.NextGaussian());
        }
        return y;
    }

    static RgbImage Grating(int size, double? theta, Rng rng)
    {
        var px = new byte[size * size * 3];
        double period = rng.NextUniform(10, 16), phase = rng.NextUniform(0, 2 * Math.PI), bg = rng.NextUniform(0.35, 0.65);
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
            {
                double v = bg + (theta is { } th ? 0.3 * Math.Sin(2 * Math.PI * (x * Math.Cos(th) + y * Math.Sin(th)) / period + phase) : 0);
                for (int ch = 0; ch < 3; ch++)
                    px[(y * size + x) * 3 + ch] = (byte)Math.Clamp(Math.Round((v + 0.12 * rng.NextGaussian()) * 255), 0, 255);
            }
        return new RgbImage(size, size, px);
    }
}
