using Repro.Data.Formats;

namespace Repro.Data.Mosi;

/// <summary>
/// The recipe of the MOSI stand-in, in MulT's <c>mosi_data.pkl</c> layout (train / valid / test; text 300, audio 5,
/// vision 20 values per step, 50 steps front-padded with zeros). Each clip's class is drawn first and its score in
/// [-3, 3] from it (a few negatives scored exactly 0, as on the real data). At each of the clip's steps a modality's
/// vector is Gaussian noise plus, in <see cref="Shown"/>[m] of the clips, <see cref="Amplitude"/> times its class
/// prototype: text is the strong modality, audio the weak one (DGL Table 2 has text at 77%, audio at 44%), so joint
/// training can leave the audio encoder lazy. <see cref="Version"/> names the stand-in's folder.
/// </summary>
public sealed record MosiStandInRecipe
{
    /// <summary>The recipe's version: bump it whenever the generated data change.</summary>
    public const int Version = 1;

    public int Train { get; init; } = 200;
    public int Valid { get; init; } = 80;
    public int Test { get; init; } = 80;
    public ulong Seed { get; init; }
    public int Steps { get; init; } = 50;
    /// <summary>Fewest real (non-padding) steps of a clip; the rest are drawn up to <see cref="Steps"/>.</summary>
    public int MinLength { get; init; } = 10;
    /// <summary>Values per step in the file's order (audio, vision, text): MulT's 5 / 20 / 300.</summary>
    public int[] Dims { get; init; } = [5, 20, 300];
    /// <summary>Fraction of clips whose (audio, vision, text) steps carry the class.</summary>
    public double[] Shown { get; init; } = [0.3, 0.5, 0.8];
    public double Amplitude { get; init; } = 0.3;
    /// <summary>Fraction of the negative clips scored exactly 0.</summary>
    public double ZeroScores { get; init; } = 0.05;
}

/// <summary>Writes the MOSI stand-in: one pickle (<see cref="MosiDataset.FeatureFile"/>) as NumPy would write it.</summary>
public static class MosiStandIn
{
    /// <summary>Writes the file and returns each split's labels (by the default rule, score &gt; 0).</summary>
    public static Dictionary<string, int[]> Write(string dir, MosiStandInRecipe r, IProgress<(int Done, int Total)>? progress = null)
    {
        if (Directory.Exists(dir) && Directory.EnumerateFileSystemEntries(dir).Any())
            throw new IOException($"{dir}: folder is not empty; the stand-in is only written into an empty or new folder.");
        Directory.CreateDirectory(dir);
        var rng = new Rng(Rng.Derive(r.Seed, 97));
        var protos = r.Dims.Select(d => Enumerable.Range(0, 2).Select(_ => Enumerable.Range(0, d).Select(_ => (float)rng.NextGaussian()).ToArray()).ToArray()).ToArray();
        var root = new Dictionary<object, object?>();
        var labels = new Dictionary<string, int[]>();
        int total = r.Train + r.Valid + r.Test, done = 0;
        foreach (var (split, n) in new[] { ("train", r.Train), ("valid", r.Valid), ("test", r.Test) })
        {
            var values = r.Dims.Select(d => new float[n * r.Steps * d]).ToArray();
            var scores = new float[n];
            var ids = new List<object?>();
            var y = new int[n];
            for (int i = 0; i < n; i++)
            {
                int label = rng.NextDouble() < 0.5 ? 1 : 0;
                double u = rng.NextDouble();
                scores[i] = label == 1 ? (float)Math.Round(0.2 + 2.8 * u, 1) : rng.NextDouble() < r.ZeroScores ? 0f : (float)-Math.Round(0.2 + 2.8 * u, 1);
                y[i] = scores[i] > 0 ? 1 : 0;
                int length = r.MinLength + (int)(rng.NextDouble() * (r.Steps - r.MinLength + 1));
                for (int m = 0; m < r.Dims.Length; m++)
                {
                    int d = r.Dims[m];
                    bool shown = rng.NextDouble() < r.Shown[m];
                    for (int t = r.Steps - length; t < r.Steps; t++)
                        for (int k = 0; k < d; k++)
                            values[m][(i * r.Steps + t) * d + k] = (float)(rng.NextGaussian() + (shown ? r.Amplitude * protos[m][label][k] : 0));
                }
                ids.AddRange([System.Text.Encoding.UTF8.GetBytes($"standin{i / 20:D3}"), System.Text.Encoding.UTF8.GetBytes($"{split}{i}"), "0"u8.ToArray()]);
                progress?.Report((++done, total));
            }
            labels[split] = y;
            var d3 = new Dictionary<object, object?>();
            string[] keys = ["audio", "vision", "text"];
            for (int m = 0; m < keys.Length; m++) d3[keys[m]] = Array(values[m], [n, r.Steps, r.Dims[m]]);
            d3["labels"] = Array(scores, [n, 1, 1]);
            d3["id"] = new PickledObjects([n, 3], ids);
            root[split] = d3;
        }
        Pickle.Write(Path.Combine(dir, MosiDataset.FeatureFile), root);
        return labels;
    }

    static PickledArray Array(float[] v, long[] shape) =>
        new("<f4", shape, System.Runtime.InteropServices.MemoryMarshal.AsBytes(v.AsSpan()).ToArray());
}
