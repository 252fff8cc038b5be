using Repro.Data.Formats;

namespace Repro.Data.Iemocap;

/// <summary>
/// The recipe of the IEMOCAP stand-in (protocol gcnet-iemocap4 layout): five sessions, four classes, three modalities of
/// unequal strength. Each utterance's feature in modality m is Gaussian noise, plus (in <see cref="Shown"/>[m] of the
/// utterances) its class prototype scaled by <see cref="Amplitude"/>, the sum multiplied by <see cref="Scale"/>: text is
/// the strongest modality, audio next, visual the weakest, as on the real features; each alone tops out near
/// shown + (1 - shown)/4. Version 2 weakened the class signal (amplitude 0.35 -> 0.2) and scaled the features (x 0.1)
/// so that training curves rise over epochs instead of peaking at the first one (and SGD at the profile's rate no
/// longer diverges); <see cref="Version"/> names the stand-in's folder and enters the identity of runs on it.
/// </summary>
public sealed record IemocapStandInRecipe
{
    /// <summary>The recipe's version: bump it whenever the generated data change.</summary>
    public const int Version = 2;

    public int PerClassPerSession { get; init; } = 24;
    public ulong Seed { get; init; }
    /// <summary>Feature sizes (audio, visual, text): the protocol's 512 / 1024 / 1024.</summary>
    public int[] Dims { get; init; } = [512, 1024, 1024];
    /// <summary>Fraction of utterances whose (audio, visual, text) feature carries the class.</summary>
    public double[] Shown { get; init; } = [0.65, 0.4, 0.85];
    public double Amplitude { get; init; } = 0.2;
    /// <summary>Every feature value (noise and signal) is multiplied by this.</summary>
    public double Scale { get; init; } = 0.1;
    public int UtterancesPerDialogue { get; init; } = 12;
}

/// <summary>Writes the IEMOCAP stand-in in GCNet's layout: the label pickle and one .npy per utterance and modality.</summary>
public static class IemocapStandIn
{
    public static List<IemocapDataset.Utt> Write(string dir, IemocapStandInRecipe r, IProgress<(int Done, int Total)>? progress = null)
    {
        if (Directory.Exists(dir) && Directory.EnumerateFileSystemEntries(dir).Any())
            throw new IOException($"{dir}: folder is not empty; the stand-in is only written into an empty or new folder.");
        var rng = new Rng(Rng.Derive(r.Seed, 91));
        var protos = r.Dims.Select(d => Enumerable.Range(0, 4).Select(_ => Enumerable.Range(0, d).Select(_ => (float)rng.NextGaussian()).ToArray()).ToArray()).ToArray();
        var videoIds = new Dictionary<object, object?>();
        var videoLabels = new Dictionary<object, object?>();
        var videoSpeakers = new Dictionary<object, object?>();
        var videoSentences = new Dictionary<object, object?>();
        var trainVid = new List<object?>();
        var testVid = new List<object?>();
        var utts = new List<IemocapDataset.Utt>();
        int total = 5 * 4 * r.PerClassPerSession, done = 0;
        foreach (var folder in new[] { IemocapDataset.AudioFolder, IemocapDataset.TextFolder, IemocapDataset.VisualFolder })
            Directory.CreateDirectory(Path.Combine(dir, folder));
        for (int session = 1; session <= 5; session++)
        {
            // labels of the session, shuffled, cut into dialogues
            var labels = Enumerable.Range(0, 4).SelectMany(c => Enumerable.Repeat(c, r.PerClassPerSession)).ToArray();
            var perm = rng.Permutation(labels.Length);
            int dialogues = (labels.Length + r.UtterancesPerDialogue - 1) / r.UtterancesPerDialogue;
            for (int d = 0; d < dialogues; d++)
            {
                var vid = $"Ses0{session}{(d % 2 == 0 ? 'F' : 'M')}_{(d % 3 == 0 ? "script" : "impro")}{d + 1:D2}";
                var ids = new List<object?>();
                var labs = new List<object?>();
                var spks = new List<object?>();
                var sents = new List<object?>();
                for (int k = d * r.UtterancesPerDialogue; k < Math.Min(labels.Length, (d + 1) * r.UtterancesPerDialogue); k++)
                {
                    int label = labels[perm[k]];
                    var spk = k % 2 == 0 ? "F" : "M";
                    var id = $"{vid}_{spk}{k - d * r.UtterancesPerDialogue:D3}";
                    ids.Add(id); labs.Add((long)label); spks.Add(spk); sents.Add($"utterance {id}");
                    var a = Feature(protos[0][label], r.Shown[0], r, rng);
                    var v = Feature(protos[1][label], r.Shown[1], r, rng);
                    var t = Feature(protos[2][label], r.Shown[2], r, rng);
                    NpyFile.WriteFloat32(Path.Combine(dir, IemocapDataset.AudioFolder, id + ".npy"), a, [a.Length]);
                    NpyFile.WriteFloat32(Path.Combine(dir, IemocapDataset.TextFolder, id + ".npy"), t, [t.Length]);
                    var faces = Path.Combine(dir, IemocapDataset.VisualFolder, id);
                    Directory.CreateDirectory(faces);
                    // two face files whose mean is the feature (GCNet's converter averages them)
                    var jitter = v.Select(_ => (float)(0.1 * r.Scale * rng.NextGaussian())).ToArray();
                    NpyFile.WriteFloat32(Path.Combine(faces, "compress_F.npy"), v.Select((x, i) => x + jitter[i]).ToArray(), [v.Length]);
                    NpyFile.WriteFloat32(Path.Combine(faces, "compress_M.npy"), v.Select((x, i) => x - jitter[i]).ToArray(), [v.Length]);
                    utts.Add(new IemocapDataset.Utt(id, vid, label, spk, session));
                    progress?.Report((++done, total));
                }
                videoIds[vid] = ids; videoLabels[vid] = labs; videoSpeakers[vid] = spks; videoSentences[vid] = sents;
                (session == 5 ? testVid : trainVid).Add(vid);
            }
        }
        Pickle.Write(Path.Combine(dir, IemocapDataset.LabelFile), new object?[] { videoIds, videoLabels, videoSpeakers, videoSentences, trainVid, testVid });
        return utts;
    }

    static float[] Feature(float[] proto, double shown, IemocapStandInRecipe r, Rng rng)
    {
        bool show = rng.NextDouble() < shown;
        var x = new float[proto.Length];
        for (int i = 0; i < x.Length; i++) x[i] = (float)(r.Scale * (rng.NextGaussian() + (show ? r.Amplitude * proto[i] : 0)));
        return x;
    }
}
