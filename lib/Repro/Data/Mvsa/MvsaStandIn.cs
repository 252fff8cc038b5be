using System.Text;
using System.Text.Json;
using Repro.Data.Food101;
using Repro.Data.Images;
using Repro.Data.Text;

namespace Repro.Data.Mvsa;

/// <summary>
/// The recipe of the MVSA-Single stand-in: tweets in the three sentiment classes with MVSA's class shares (positive about
/// half, negative a quarter, neutral the rest). A tweet's words include two of its class's sentiment words in
/// <see cref="TextShown"/> of the posts; its image shows a disc in the class's colour in <see cref="ImageShown"/> of them.
/// Text is the stronger modality, as on real MVSA (MLA Table 1: text 72-76%, image 27-55%).
/// </summary>
public sealed record MvsaStandInRecipe
{
    /// <summary>Posts in the training split; dev and test have <see cref="Test"/> each.</summary>
    public int Train { get; init; } = 480;
    public int Test { get; init; } = 160;
    public ulong Seed { get; init; }
    public int ImageSize { get; init; } = 64;
    public double TextShown { get; init; } = 0.75;
    public double ImageShown { get; init; } = 0.35;
    public double PixelNoise { get; init; } = 0.15;
    /// <summary>Posts whose text and image labels differ (left out of every split by the label rule), per post kept.</summary>
    public double Disagreeing { get; init; } = 0.25;
    /// <summary>Share of MLA's test list taken from QMF's dev split (32 of 519 in MLA's release).</summary>
    public double MlaTestFromDev { get; init; } = 32.0 / 519;
}

/// <summary>
/// Writes the MVSA-Single stand-in in the real layout: <c>data/&lt;id&gt;.jpg</c> and <c>data/&lt;id&gt;.txt</c> for every post,
/// <c>labelResultAll.txt</c> (posts whose labels disagree included), QMF's <c>{train,dev,test}.jsonl</c>, MLA's
/// <c>my_{train,test}_mvsa.txt</c>, and a small BERT-format <c>vocab.txt</c>.
/// </summary>
public static class MvsaStandIn
{
    /// <summary>Class shares of QMF's training split (422 negative, 282 neutral, 851 positive of 1,555), in <see cref="MvsaDataset.Classes"/> order.</summary>
    public static readonly double[] Shares = [422 / 1555.0, 282 / 1555.0, 851 / 1555.0];
    static readonly double[] Hues = [225, 120, 45];
    static readonly string[][] Cues =
    [
        ["sad", "hate", "angry", "terrible", "awful", "worst"],
        ["news", "update", "report", "announced", "meeting", "schedule"],
        ["love", "happy", "great", "beautiful", "amazing", "best"],
    ];
    static readonly string[] Filler = ["the", "a", "to", "and", "of", "in", "my", "is", "for", "on", "this", "with", "at", "day", "new", "time", "just", "now", "people", "night", "game", "city", "photo", "check", "out", "via", "here", "week"];
    static readonly string[] Symbols = ["rt", "@", "user", ":", "http", "/", ".", "t", "co", "#"];

    public sealed record Written(Dictionary<string, List<(string Id, int Label)>> Qmf, Dictionary<string, List<(string Id, int Label)>> Mla, int Posts);

    public static Written Write(string dir, MvsaStandInRecipe r, IProgress<(int Done, int Total)>? progress = null)
    {
        if (Directory.Exists(dir) && Directory.EnumerateFileSystemEntries(dir).Any())
            throw new IOException($"{dir}: folder is not empty; the stand-in is only written into an empty or new folder.");
        Directory.CreateDirectory(Path.Combine(dir, "data"));
        var rng = new Rng(Rng.Derive(r.Seed, 2016));
        var sizes = new Dictionary<string, int> { ["train"] = r.Train, ["dev"] = r.Test, ["test"] = r.Test };
        // every split's labels at MVSA's shares (largest remainder, at least one post per class), in a random order
        var labels = sizes.ToDictionary(s => s.Key, s => Shuffle(Counts(s.Value).SelectMany((n, c) => Enumerable.Repeat(c, n)).ToList(), rng));
        int kept = sizes.Values.Sum(), extra = (int)Math.Round(kept * r.Disagreeing), total = kept + extra;
        // ids 1..N are dealt to the posts at random, so splits interleave in the id range as in the release
        var ids = rng.Permutation(total).Select(i => (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        int next = 0, done = 0;
        var posts = new SortedDictionary<int, (string Text, string Image)>();
        var qmf = new Dictionary<string, List<(string, int)>>();
        var texts = new Dictionary<string, string>();
        foreach (var split in MvsaLists.QmfSplits)
        {
            var jsonl = new StringBuilder();
            var list = qmf[split] = new();
            foreach (var c in labels[split])
            {
                var id = ids[next++];
                var text = Tweet(c, r.TextShown, rng);
                WritePost(dir, id, text, Picture(c, r, rng));
                posts[int.Parse(id)] = (MvsaDataset.Classes[c], MvsaDataset.Classes[c]);
                texts[id] = text;
                jsonl.Append(JsonLine(("id", id), ("label", MvsaDataset.Classes[c]), ("text", text), ("img", $"data/{id}.jpg"))).Append('\n');
                list.Add((id, c));
                progress?.Report((++done, total));
            }
            AtomicFile.WriteAllText(Path.Combine(dir, MvsaLists.QmfList(split)), jsonl.ToString());
        }
        // posts whose annotators saw different sentiments in text and image: in the data and the label file only
        for (int k = 0; k < extra; k++)
        {
            var id = ids[next++];
            int t = rng.NextInt(3), i = (t + 1 + rng.NextInt(2)) % 3;
            WritePost(dir, id, Tweet(t, r.TextShown, rng), Picture(i, r, rng));
            posts[int.Parse(id)] = (MvsaDataset.Classes[t], MvsaDataset.Classes[i]);
            progress?.Report((++done, total));
        }
        var label = new StringBuilder(MvsaLabelFile.Header).Append('\n');
        foreach (var (id, (text, image)) in posts) label.Append(id).Append('\t').Append(text).Append(',').Append(image).Append('\n');
        AtomicFile.WriteAllText(Path.Combine(dir, MvsaLabelFile.FileName), label.ToString());

        // MLA's lists: QMF's train as it is; QMF's test with a few posts swapped for dev posts, reordered
        int swap = Math.Min((int)Math.Round(r.Test * r.MlaTestFromDev), r.Test - 1);
        var fromDev = Shuffle(qmf["dev"].ToList(), rng).Take(swap);
        var mlaTest = Shuffle(Shuffle(qmf["test"].ToList(), rng).Skip(swap).Concat(fromDev).ToList(), rng);
        var mla = new Dictionary<string, List<(string, int)>> { ["train"] = qmf["train"], ["test"] = mlaTest };
        foreach (var (split, list) in mla)
            AtomicFile.WriteAllText(Path.Combine(dir, MvsaLists.MlaList(split)), string.Concat(list.Select(p => $"{p.Item1}.jpg {MvsaDataset.Classes[p.Item2]}\n")));
        WordPiece.WriteVocab(Path.Combine(dir, "vocab.txt"), Filler.Concat(Symbols).Concat(Cues.SelectMany(c => c)));
        return new Written(qmf, mla, total);
    }

    /// <summary>Posts per class for a split of <paramref name="n"/> at <see cref="Shares"/>: largest remainder, each class at least one.</summary>
    public static int[] Counts(int n)
    {
        if (n < Shares.Length) throw new ArgumentException($"An MVSA stand-in split needs at least {Shares.Length} posts (one per class), not {n}.");
        var exact = Shares.Select(s => s * n).ToArray();
        var counts = exact.Select(x => Math.Max(1, (int)Math.Floor(x))).ToArray();
        foreach (var c in Enumerable.Range(0, Shares.Length).OrderByDescending(c => exact[c] - Math.Floor(exact[c])))
            if (counts.Sum() < n) counts[c]++;
        while (counts.Sum() > n) counts[Array.IndexOf(counts, counts.Max())]--;
        return counts;
    }

    /// <summary>One object per line as Python's json.dumps writes it (QMF's files): <c>{"id": "1", "label": ...}</c>.</summary>
    static string JsonLine(params (string Key, string Value)[] fields) =>
        "{" + string.Join(", ", fields.Select(f => $"{JsonSerializer.Serialize(f.Key, Plain)}: {JsonSerializer.Serialize(f.Value, Plain)}")) + "}";

    static readonly JsonSerializerOptions Plain = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    static void WritePost(string dir, string id, string text, RgbImage image)
    {
        ImageFile.WriteJpeg(Path.Combine(dir, "data", $"{id}.jpg"), image, 90);
        AtomicFile.WriteAllText(Path.Combine(dir, "data", $"{id}.txt"), text + "\n");
    }

    /// <summary>A few everyday words, sometimes "RT @user:" in front and a t.co link behind; two of the class's words in part of them.</summary>
    static string Tweet(int c, double shown, Rng rng)
    {
        var words = new List<string>();
        int n = 3 + rng.NextInt(5);
        for (int i = 0; i < n; i++) words.Add(Filler[rng.NextInt(Filler.Length)]);
        if (rng.NextDouble() < shown)
            for (int k = 0; k < 2; k++) words.Insert(rng.NextInt(words.Count + 1), Cues[c][rng.NextInt(Cues[c].Length)]);
        var text = string.Join(' ', words);
        if (rng.NextDouble() < 0.3) text = "RT @user: " + text;
        if (rng.NextDouble() < 0.5) text += " http://t.co/" + Link(rng);
        return text;
    }

    static string Link(Rng rng)
    {
        const string chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        return new string(Enumerable.Range(0, 10).Select(_ => chars[rng.NextInt(chars.Length)]).ToArray());
    }

    static RgbImage Picture(int c, MvsaStandInRecipe r, Rng rng) => Food101StandIn.Disc(r.ImageSize, rng.NextDouble() < r.ImageShown ? Hues[c] : null, r.PixelNoise, rng);

    static List<T> Shuffle<T>(List<T> items, Rng rng) => rng.Permutation(items.Count).Select(i => items[i]).ToList();
}
