using System.Text.Json;
using Repro.Data.Food101;
using Repro.Data.Images;
using Repro.Data.Text;

namespace Repro.Data.MmImdb;

/// <summary>
/// The recipe of the MM-IMDb stand-in: movies with one to three of the 23 genres (skewed frequencies, as on IMDb), a plot
/// of filler words that names each genre's keyword in <see cref="TextShown"/> of the cases (text dominant), and a poster
/// showing the first genre's colour in <see cref="ImageShown"/> of the movies. Some movies have two plots.
/// </summary>
public sealed record MmImdbStandInRecipe
{
    public int Train { get; init; } = 400;
    public int Dev { get; init; } = 80;
    public int Test { get; init; } = 160;
    public ulong Seed { get; init; }
    public int ImageSize { get; init; } = 64;
    public double TextShown { get; init; } = 0.85;
    public double ImageShown { get; init; } = 0.5;
    public double TwoPlots { get; init; } = 0.25;
}

/// <summary>Writes the MM-IMDb stand-in: split.json, dataset/&lt;id&gt;.jpeg and .json, and a small vocab.txt.</summary>
public static class MmImdbStandIn
{
    static readonly string[] Filler = ["a", "the", "story", "of", "man", "woman", "who", "finds", "his", "her", "life", "in", "town", "after", "years", "family", "must", "and", "when", "their", "world", "city", "young", "old", "friends", "secret", "one", "night"];

    static string Keyword(int g) => MmImdbDataset.Genres[g].ToLowerInvariant().Replace("-", "");

    public static Dictionary<string, List<string>> Write(string dir, MmImdbStandInRecipe r, IProgress<(int Done, int Total)>? progress = null)
    {
        if (Directory.Exists(dir) && Directory.EnumerateFileSystemEntries(dir).Any())
            throw new IOException($"{dir}: folder is not empty; the stand-in is only written into an empty or new folder.");
        Directory.CreateDirectory(Path.Combine(dir, "dataset"));
        var rng = new Rng(Rng.Derive(r.Seed, 102));
        var weights = Enumerable.Range(0, 23).Select(g => 1.0 / (1 + 0.25 * g)).ToArray();
        var splits = new Dictionary<string, List<string>>();
        int total = r.Train + r.Dev + r.Test, done = 0, next = 1_000_000;
        foreach (var (split, n) in new[] { ("train", r.Train), ("dev", r.Dev), ("test", r.Test) })
        {
            var ids = splits[split] = new();
            for (int i = 0; i < n; i++)
            {
                var id = (next += 1 + rng.NextInt(50)).ToString("D7");
                var genres = new List<int>();
                int k = 1 + rng.NextInt(3);
                while (genres.Count < k) { int g = Draw(weights, rng); if (!genres.Contains(g)) genres.Add(g); }
                var plots = Enumerable.Range(0, rng.NextDouble() < r.TwoPlots ? 2 : 1).Select(_ => Plot(genres, r, rng)).ToArray();
                var meta = new Dictionary<string, object> { ["title"] = $"Movie {id}", ["genres"] = genres.Select(g => MmImdbDataset.Genres[g]).ToArray(), ["plot"] = plots };
                AtomicFile.WriteAllText(Path.Combine(dir, "dataset", id + ".json"), JsonSerializer.Serialize(meta));
                var hue = rng.NextDouble() < r.ImageShown ? genres[0] * (360.0 / 23) : (double?)null;
                ImageFile.WriteJpeg(Path.Combine(dir, "dataset", id + ".jpeg"), Food101StandIn.Disc(r.ImageSize, hue, 0.15, rng), 90);
                ids.Add(id);
                progress?.Report((++done, total));
            }
        }
        AtomicFile.WriteAllText(Path.Combine(dir, "split.json"), JsonSerializer.Serialize(splits, new JsonSerializerOptions { WriteIndented = true }));
        WordPiece.WriteVocab(Path.Combine(dir, "vocab.txt"), Filler.Concat(Enumerable.Range(0, 23).Select(Keyword)));
        return splits;
    }

    static int Draw(double[] w, Rng rng)
    {
        double u = rng.NextDouble() * w.Sum();
        for (int i = 0; i < w.Length; i++) if ((u -= w[i]) < 0) return i;
        return w.Length - 1;
    }

    static string Plot(List<int> genres, MmImdbStandInRecipe r, Rng rng)
    {
        var words = Enumerable.Range(0, 8 + rng.NextInt(10)).Select(_ => Filler[rng.NextInt(Filler.Length)]).ToList();
        foreach (var g in genres)
            if (rng.NextDouble() < r.TextShown) words.Insert(rng.NextInt(words.Count + 1), Keyword(g));
        return string.Join(' ', words);
    }
}
