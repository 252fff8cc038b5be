using System.Text;
using System.Text.Json;
using Repro.Data.Text;
using static TorchSharp.torch;

namespace Repro.Data.Food101;

/// <summary>
/// UPMC Food-101 (docs/datasets.md#food101): images <c>images/{train,test}/&lt;class&gt;/&lt;class&gt;_&lt;n&gt;.jpg</c> and web-page titles.
/// Protocol "upmc": the official 67,988 / 22,716 split from <c>texts/{train,test}_titles.csv</c> (no header; columns
/// image file, title, class), classes in sorted folder order (BalanceBenchmark); the kit carves its seeded validation
/// split from train. Protocol "map": MAP's <c>split.json</c> (train 61,142 / val 6,846 / test 22,716), <c>class_idx.json</c>
/// order and <c>text.json</c> titles (YiLunLee/missing_aware_prompts write_food101.py). Inputs: image (3, S, S) and text
/// (L) WordPiece ids. Every listed image is checked to exist when the dataset is opened; decoding errors name the file.
/// </summary>
public sealed class Food101Dataset : IMultimodalDataset, IListsFiles
{
    readonly List<(string Id, int Label, string Image, string Title)> _items = new();
    readonly ImageTextSamples _samples;

    public Food101Dataset(string root, string split, string protocol = "upmc", ImageTextOptions? options = null)
    {
        var o = options ?? new ImageTextOptions();
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"{root}: Food-101 root folder not found.");
        Protocol = protocol;
        Split = split;
        IEnumerable<(string Id, string Class, string Title, string Where)> rows;
        switch (protocol)
        {
            case "upmc":
            {
                if (split is not ("train" or "test")) throw new ArgumentException($"Food-101 protocol upmc has splits train and test, not '{split}'.");
                var classDir = Path.Combine(root, "images", "train");
                if (!Directory.Exists(classDir)) throw new DirectoryNotFoundException($"{classDir}: Food-101 image class folders not found (expected images/train/<class>/).");
                ClassNames = Directory.GetDirectories(classDir).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;
                rows = ReadTitles(Path.Combine(root, "texts", $"{split}_titles.csv"));
                break;
            }
            case "map":
            {
                if (split is not ("train" or "val" or "test")) throw new ArgumentException($"Food-101 protocol map has splits train, val and test, not '{split}'.");
                var classIdx = ReadJson<Dictionary<string, int>>(Path.Combine(root, "class_idx.json"), "{class: index}");
                ClassNames = new string[classIdx.Count];
                foreach (var (c, i) in classIdx)
                {
                    if (i < 0 || i >= classIdx.Count || ClassNames[i] is not null)
                        throw new InvalidDataException($"{Path.Combine(root, "class_idx.json")}: index {i} of class '{c}' is out of range or used twice; expected 0..{classIdx.Count - 1} once each.");
                    ClassNames[i] = c;
                }
                var texts = ReadJson<Dictionary<string, string>>(Path.Combine(root, "text.json"), "{image file: title}");
                var splits = ReadJson<Dictionary<string, string[]>>(Path.Combine(root, "split.json"), "{train: [...], val: [...], test: [...]}");
                if (!splits.TryGetValue(split, out var names))
                    throw new InvalidDataException($"{Path.Combine(root, "split.json")}: no split '{split}' (has {string.Join(", ", splits.Keys)}).");
                rows = names.Select(n => (n, n.Contains('_') ? n[..n.LastIndexOf('_')] : n,
                    texts.TryGetValue(n, out var t) ? t : throw new InvalidDataException($"{Path.Combine(root, "text.json")}: no title for image {n} of split {split}."),
                    Path.Combine(root, "split.json")));
                break;
            }
            default: throw new ArgumentException($"Unknown Food-101 protocol '{protocol}'; known: upmc, map.");
        }
        var folder = split == "test" ? "test" : "train";
        var seen = new HashSet<string>();
        var missing = new BadInputs();
        foreach (var (id, cls, title, where) in rows)
        {
            int label = Array.IndexOf(ClassNames, cls);
            if (label < 0) throw new InvalidDataException($"{where}: image {id} has class '{cls}', which is not one of the {ClassNames.Length} classes.");
            if (!seen.Add(id)) throw new InvalidDataException($"{where}: image {id} is listed twice.");
            var image = Path.Combine(root, "images", folder, cls, id);
            if (!File.Exists(image))
            {
                if (o.MissingFiles == MissingFilePolicy.Error) missing.Add(new FileNotFoundException($"{where}: image {image} not found.", image));
                else Coverage.Drop(id, label, $"image {image} not found");
                continue;
            }
            _items.Add((id, label, image, title));
            Coverage.Keep(id, label);
        }
        missing.ThrowIfAny($"{root} (Food-101 {split})");
        if (_items.Count == 0)
            throw EmptySplitException.For($"{root}: Food-101 split '{split}' ({protocol}) has no usable samples{(Dropped.Count > 0 ? $" ({Dropped})" : "")}.", split, Coverage, ClassNames);
        _samples = new ImageTextSamples(root, o);
        Info = new DatasetInfo($"food101/{split}", [ImageTextSamples.ImageSpec(o), ImageTextSamples.TextSpec(o)], ClassNames);
    }

    public string Protocol { get; }
    public string Split { get; }
    public string[] ClassNames { get; }
    public DatasetInfo Info { get; }
    public int Count => _items.Count;
    public ListCoverage Coverage { get; } = new();
    public DropReport Dropped => Coverage.Dropped;
    public WordPiece Tokenizer => _samples.Tokenizer;
    public int LabelOf(int index) => _items[index].Label;
    public string NameOf(int index) => _items[index].Id;
    public string TextOf(int index) => _items[index].Title;

    public Sample Get(int index, SampleMode mode, ulong seed)
    {
        var it = _items[index];
        return new Sample
        {
            Index = index, Id = it.Id, Label = it.Label,
            Inputs = _samples.Inputs(index, it.Image, it.Title, mode, seed),
        };
    }

    /// <summary>Reads texts/{split}_titles.csv: `image,title,class` per line, RFC 4180 quoting, no header.</summary>
    public static IEnumerable<(string Id, string Class, string Title, string Where)> ReadTitles(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: Food-101 title list not found (expected lines `image,title,class`).", path);
        var rows = new List<(string, string, string, string)>();
        int line = 0;
        foreach (var fields in Csv.Read(path))
        {
            line++;
            if (fields.Count == 1 && fields[0].Length == 0) continue;
            if (fields.Count != 3) throw new InvalidDataException($"{path}, line {line}: expected 3 fields `image,title,class`, found {fields.Count}.");
            rows.Add((fields[0], fields[2], fields[1], $"{path}, line {line}"));
        }
        return rows;
    }

    internal static T ReadJson<T>(string path, string expected)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: not found (expected JSON {expected}).", path);
        try { return JsonSerializer.Deserialize<T>(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path}: empty JSON."); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: not the expected JSON {expected} ({e.Message}).", e); }
    }
}

/// <summary>A small RFC 4180 CSV reader (quoted fields with commas, doubled quotes, newlines) and writer.</summary>
public static class Csv
{
    public static IEnumerable<List<string>> Read(string path)
    {
        var text = File.ReadAllText(path, new UTF8Encoding(false)).TrimStart('\uFEFF');
        var row = new List<string>();
        var field = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { row.Add(field.ToString()); field.Clear(); }
            else if (c == '\n' || c == '\r')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                row.Add(field.ToString()); field.Clear();
                yield return row;
                row = new List<string>();
            }
            else field.Append(c);
        }
        if (field.Length > 0 || row.Count > 0) { row.Add(field.ToString()); yield return row; }
    }

    public static string Quote(string s) => s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
}
