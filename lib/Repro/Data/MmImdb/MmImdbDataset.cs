using System.Text.Json;
using Repro.Data.Food101;
using Repro.Data.Text;
using static TorchSharp.torch;

namespace Repro.Data.MmImdb;

/// <summary>How MM-IMDb movies with several plots become samples.</summary>
public enum PlotSelection
{
    /// <summary>Every plot is its own sample, sharing the movie's poster and genres (MAP; F1 over pairs).</summary>
    All,
    /// <summary>One sample per movie with its longest plot (MMBT).</summary>
    Longest,
}

/// <summary>
/// MM-IMDb (docs/datasets.md#mmimdb): <c>split.json</c> {train 15,552 / dev 2,608 / test 7,799 IMDb ids}, <c>dataset/&lt;id&gt;.jpeg</c>
/// posters and <c>dataset/&lt;id&gt;.json</c> metadata with "genres" (list) and "plot" (list). Multi-label: targets are
/// multi-hot over the 23 genres in MAP's order; a genre outside the 23 is an error naming the file (or, with
/// <c>ignoreUnknownGenres</c>, left out and counted in <see cref="UnknownGenres"/>, as MAP does silently).
/// A movie without any of the 23 genres is an error as well (or dropped and counted with <see cref="MissingFilePolicy.Drop"/>).
/// </summary>
public sealed class MmImdbDataset : IMultimodalDataset, IListsFiles
{
    public static readonly string[] Genres =
        ["Drama", "Comedy", "Romance", "Thriller", "Crime", "Action", "Adventure", "Horror", "Documentary", "Mystery", "Sci-Fi",
         "Fantasy", "Family", "Biography", "War", "History", "Music", "Animation", "Musical", "Western", "Sport", "Short", "Film-Noir"];

    readonly List<(string Id, int Movie, string Image, string Plot, float[] Targets, int Primary)> _items = new();
    readonly ImageTextSamples _samples;

    public MmImdbDataset(string root, string split, ImageTextOptions? options = null, PlotSelection plots = PlotSelection.All, bool ignoreUnknownGenres = false)
    {
        var o = options ?? new ImageTextOptions { TextLength = 256 };
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"{root}: MM-IMDb root folder not found.");
        var splitPath = Path.Combine(root, "split.json");
        var splits = Food101Dataset.ReadJson<Dictionary<string, string[]>>(splitPath, "{train: [ids], dev: [ids], test: [ids]}");
        if (!splits.TryGetValue(split, out var ids))
            throw new InvalidDataException($"{splitPath}: no split '{split}' (has {string.Join(", ", splits.Keys)}).");
        Split = split;
        Plots = plots;
        int movie = 0;
        var bad = new BadInputs();
        foreach (var id in ids)
        {
            var image = Path.Combine(root, "dataset", id + ".jpeg");
            var meta = Path.Combine(root, "dataset", id + ".json");
            if (!File.Exists(image) || !File.Exists(meta))
            {
                var missing = !File.Exists(image) ? image : meta;
                if (o.MissingFiles == MissingFilePolicy.Error) bad.Add(new FileNotFoundException($"{splitPath}: movie {id} of split {split}: {missing} not found.", missing));
                else Coverage.Drop(id, ListCoverage.UnknownClass, $"{missing} not found");
                continue;
            }
            var (genres, moviePlots) = ReadMeta(meta);
            var targets = new float[Genres.Length];
            int primary = -1;
            foreach (var g in genres)
            {
                int k = Array.IndexOf(Genres, g);
                if (k < 0)
                {
                    if (!ignoreUnknownGenres)
                        throw new InvalidDataException($"{meta}: field 'genres' has '{g}', which is not one of the 23 MM-IMDb genres ({string.Join(", ", Genres)}); set unknown-genres=ignore to leave such genres out (counted).");
                    UnknownGenres++;
                    continue;
                }
                targets[k] = 1;
                if (primary < 0) primary = k;
            }
            if (primary < 0)
            {
                if (o.MissingFiles == MissingFilePolicy.Error) bad.Add($"{meta}: field 'genres' has none of the 23 MM-IMDb genres.");
                else Coverage.Drop(id, ListCoverage.UnknownClass, "no known genre", fileMissing: false);
                continue;
            }
            Coverage.Keep(id, primary);
            var chosen = plots == PlotSelection.All ? moviePlots : [moviePlots.OrderByDescending(p => p.Length).First()];
            for (int p = 0; p < chosen.Length; p++)
                _items.Add((chosen.Length == 1 ? id : $"{id}#{p}", movie, image, chosen[p], targets, primary));
            movie++;
        }
        Movies = movie;
        bad.ThrowIfAny($"{splitPath} (MM-IMDb {split})");
        if (_items.Count == 0)
            throw EmptySplitException.For($"{splitPath}: split '{split}' has no usable movies{(Dropped.Count > 0 ? $" ({Dropped})" : "")}.", split, Coverage, Genres);
        _samples = new ImageTextSamples(root, o);
        Info = new DatasetInfo($"mmimdb/{split}", [ImageTextSamples.ImageSpec(o), ImageTextSamples.TextSpec(o)], Genres, MultiLabel: true);
    }

    public string Split { get; }
    public PlotSelection Plots { get; }
    public int Movies { get; }
    public int UnknownGenres { get; }
    public DatasetInfo Info { get; }
    public int Count => _items.Count;
    /// <summary>Per movie (a movie counts under its first genre), not per plot.</summary>
    public ListCoverage Coverage { get; } = new();
    public DropReport Dropped => Coverage.Dropped;
    public WordPiece Tokenizer => _samples.Tokenizer;
    /// <summary>The first listed genre (for stratified splits; the targets hold all of them).</summary>
    public int LabelOf(int index) => _items[index].Primary;
    /// <summary>The movie (row of split.json, after drops) a sample comes from: MAP's missing tables are per movie.</summary>
    public int MovieOf(int index) => _items[index].Movie;
    public string NameOf(int index) => _items[index].Id;
    public string TextOf(int index) => _items[index].Plot;

    public Sample Get(int index, SampleMode mode, ulong seed)
    {
        var it = _items[index];
        return new Sample
        {
            Index = index, Id = it.Id, Label = it.Primary, Targets = it.Targets,
            Inputs = _samples.Inputs(index, it.Image, it.Plot, mode, seed),
        };
    }

    static (string[] Genres, string[] Plots) ReadMeta(string path)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var r = doc.RootElement;
            if (!r.TryGetProperty("genres", out var g) || g.ValueKind != JsonValueKind.Array)
                throw new InvalidDataException($"{path}: field 'genres' missing or not a list.");
            if (!r.TryGetProperty("plot", out var p) || p.ValueKind != JsonValueKind.Array || p.GetArrayLength() == 0)
                throw new InvalidDataException($"{path}: field 'plot' missing or not a non-empty list of strings.");
            return (g.EnumerateArray().Select(x => x.GetString() ?? "").ToArray(), p.EnumerateArray().Select(x => x.GetString() ?? "").ToArray());
        }
        catch (JsonException e) { throw new InvalidDataException($"{path}: not valid JSON ({e.Message}).", e); }
    }
}
