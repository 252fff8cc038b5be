using System.Text;
using System.Text.Json;
using Repro.Data.Images;
using Repro.Data.Text;

namespace Repro.Data.Food101;

/// <summary>
/// The recipe of the Food-101 stand-in: a few food classes, each image a noisy frame that shows a disc in the class's
/// colour in <see cref="ImageShown"/> of the images, each title a handful of food-blog words that include the class's
/// own words in <see cref="TextShown"/> of the titles. Text is the dominant modality (as on real Food-101).
/// </summary>
public sealed record Food101StandInRecipe
{
    public int TrainPerClass { get; init; } = 60;
    public int TestPerClass { get; init; } = 20;
    public ulong Seed { get; init; }
    public int ImageSize { get; init; } = 64;
    public double TextShown { get; init; } = 0.9;
    public double ImageShown { get; init; } = 0.55;
    public double PixelNoise { get; init; } = 0.15;
    /// <summary>Fraction of train images MAP's split.json puts into val.</summary>
    public double MapValFraction { get; init; } = 0.1;
}

/// <summary>Writes the Food-101 stand-in: UPMC layout (images/, texts/) plus MAP's class_idx.json, text.json, split.json, and a small BERT-format vocab.txt.</summary>
public static class Food101StandIn
{
    public static readonly string[] Classes = ["apple_pie", "beef_tartare", "caesar_salad", "donuts", "fried_rice", "miso_soup", "pad_thai", "waffles"];
    static readonly double[] Hues = [0, 45, 90, 135, 180, 225, 270, 315];
    static readonly string[] Filler = ["recipe", "best", "easy", "homemade", "how", "to", "make", "the", "my", "with", "quick", "simple", "dinner", "lunch", "kitchen", "blog", "cook", "delicious", "healthy", "video", "for", "and", "a", "of", "style", "classic", "perfect", "ever"];

    public sealed record Written(Dictionary<string, List<(string Image, int Label)>> Upmc, Dictionary<string, List<string>> Map);

    public static Written Write(string dir, Food101StandInRecipe r, IProgress<(int Done, int Total)>? progress = null)
    {
        if (Directory.Exists(dir) && Directory.EnumerateFileSystemEntries(dir).Any())
            throw new IOException($"{dir}: folder is not empty; the stand-in is only written into an empty or new folder.");
        Directory.CreateDirectory(Path.Combine(dir, "texts"));
        var rng = new Rng(Rng.Derive(r.Seed, 101));
        var upmc = new Dictionary<string, List<(string, int)>>();
        var texts = new SortedDictionary<string, string>(StringComparer.Ordinal);
        int total = Classes.Length * (r.TrainPerClass + r.TestPerClass), done = 0;
        foreach (var (split, perClass) in new[] { ("train", r.TrainPerClass), ("test", r.TestPerClass) })
        {
            var csv = new StringBuilder();
            var list = upmc[split] = new();
            int offset = split == "train" ? 0 : 10_000;
            for (int k = 0; k < perClass; k++)
                for (int c = 0; c < Classes.Length; c++)
                {
                    var cls = Classes[c];
                    var file = $"{cls}_{offset + k}.jpg";
                    var folder = Path.Combine(dir, "images", split, cls);
                    Directory.CreateDirectory(folder);
                    ImageFile.WriteJpeg(Path.Combine(folder, file), Picture(c, r, rng), 90);
                    var title = Title(c, r, rng);
                    texts[file] = title;
                    csv.Append(file).Append(',').Append(Csv.Quote(title)).Append(',').Append(cls).Append('\n');
                    list.Add((file, c));
                    progress?.Report((++done, total));
                }
            AtomicFile.WriteAllText(Path.Combine(dir, "texts", $"{split}_titles.csv"), csv.ToString());
        }
        // MAP: its own class order (here: by hue descending, not alphabetical), a seeded val carved from train
        var classIdx = Classes.Select((c, i) => (c, i)).OrderByDescending(x => x.i).Select((x, j) => (x.c, j)).ToDictionary(x => x.c, x => x.j);
        var train = upmc["train"].Select(x => x.Item1).ToList();
        var perm = rng.Permutation(train.Count);
        int nVal = (int)(train.Count * r.MapValFraction);
        var val = perm.Take(nVal).Select(i => train[i]).ToHashSet();
        var map = new Dictionary<string, List<string>>
        {
            ["train"] = train.Where(x => !val.Contains(x)).ToList(),
            ["val"] = train.Where(val.Contains).ToList(),
            ["test"] = upmc["test"].Select(x => x.Item1).ToList(),
        };
        var json = new JsonSerializerOptions { WriteIndented = true };
        AtomicFile.WriteAllText(Path.Combine(dir, "class_idx.json"), JsonSerializer.Serialize(classIdx, json));
        AtomicFile.WriteAllText(Path.Combine(dir, "text.json"), JsonSerializer.Serialize(texts, json));
        AtomicFile.WriteAllText(Path.Combine(dir, "split.json"), JsonSerializer.Serialize(map, json));
        WordPiece.WriteVocab(Path.Combine(dir, "vocab.txt"), Filler.Concat(Classes.SelectMany(c => c.Split('_'))));
        return new Written(upmc, map);
    }

    static string Title(int c, Food101StandInRecipe r, Rng rng)
    {
        var words = new List<string>();
        int n = 3 + rng.NextInt(5);
        for (int i = 0; i < n; i++) words.Add(Filler[rng.NextInt(Filler.Length)]);
        if (rng.NextDouble() < r.TextShown)
            words.InsertRange(rng.NextInt(words.Count + 1), Classes[c].Split('_'));
        return string.Join(' ', words);
    }

    internal static RgbImage Picture(int c, Food101StandInRecipe r, Rng rng) => Disc(r.ImageSize, rng.NextDouble() < r.ImageShown ? Hues[c] : null, r.PixelNoise, rng);

    /// <summary>A noisy square image; with a hue, a disc of that colour at a random place.</summary>
    internal static RgbImage Disc(int size, double? hue, double noise, Rng rng)
    {
        var px = new byte[size * size * 3];
        double cx = rng.NextUniform(0.3, 0.7) * size, cy = rng.NextUniform(0.3, 0.7) * size, rad = rng.NextUniform(0.2, 0.35) * size;
        double bg = rng.NextUniform(0.3, 0.7);
        var rgb = hue is { } h ? Rgb(h) : null;
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
            {
                bool inside = rgb is not null && (x - cx) * (x - cx) + (y - cy) * (y - cy) < rad * rad;
                for (int ch = 0; ch < 3; ch++)
                {
                    double v = inside ? rgb![ch] : bg;
                    px[(y * size + x) * 3 + ch] = (byte)Math.Clamp(Math.Round((v + noise * rng.NextGaussian()) * 255), 0, 255);
                }
            }
        return new RgbImage(size, size, px);
    }

    static double[] Rgb(double hue)
    {
        double h = hue / 60, x = 1 - Math.Abs(h % 2 - 1);
        var (r, g, b) = ((int)h % 6) switch { 0 => (1, x, 0.0), 1 => (x, 1, 0.0), 2 => (0.0, 1, x), 3 => (0.0, x, 1.0), 4 => (x, 0.0, 1.0), _ => (1.0, 0.0, x) };
        return [0.15 + 0.8 * r, 0.15 + 0.8 * g, 0.15 + 0.8 * b];
    }
}
