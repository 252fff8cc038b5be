using System.Security.Cryptography;
using System.Text.Json;

namespace Repro.Data.Manifests;

/// <summary>
/// What a dataset root must hold: source, licence, what to download, layout, split counts, label order, preprocessing
/// and, where known, file checksums. The stand-ins write their own (`DIR/manifest.json`); `data-manifests/` holds the
/// real datasets'.
/// </summary>
public sealed record DatasetManifest
{
    public required string Dataset { get; init; }
    public required string Protocol { get; init; }
    public string Source { get; init; } = "";
    public string Licence { get; init; } = "";
    public string[] Download { get; init; } = [];
    public Dictionary<string, string> Layout { get; init; } = new();
    public Dictionary<string, SplitManifest> Splits { get; init; } = new();
    /// <summary>Label order: class index -> name (or label code). Empty when the user supplies it (<see cref="ClassesFile"/>).</summary>
    public string[] Classes { get; init; } = [];
    /// <summary>A root-relative file the user supplies with the class names, one per line in label order (Kinetics-Sounds).</summary>
    public string? ClassesFile { get; init; }
    /// <summary>Number of classes, where <see cref="Classes"/> does not list them.</summary>
    public int? ClassCount { get; init; }
    public string[] Preprocessing { get; init; } = [];
    /// <summary>Protocol settings the loader needs (frames, fbank frames, text length, fold, ...), as strings.</summary>
    public Dictionary<string, string> Options { get; init; } = new();
    /// <summary>How many files match a root-relative glob ('*' within a path segment).</summary>
    public FileCount[] Counts { get; init; } = [];
    /// <summary>Shapes of .npy files matching a glob (-1 = any size); checked from their headers.</summary>
    public ArraySpec[] Arrays { get; init; } = [];
    /// <summary>Relative path -> SHA-256 (lower-case hex).</summary>
    public SortedDictionary<string, string> Files { get; init; } = new(StringComparer.Ordinal);

    /// <summary>A split: its list file (or the file/folder defining it), sample count and per-class counts (empty when unknown).</summary>
    public sealed record SplitManifest(string List, int Count, int[] ClassCounts);
    public sealed record FileCount(string Pattern, int Count);
    public sealed record ArraySpec(string Pattern, long[] Shape);

    public int NumClasses => Classes.Length > 0 ? Classes.Length : ClassCount ?? 0;
    public string Option(string key, string fallback) => Options.TryGetValue(key, out var v) ? v : fallback;

    public const string FileName = "manifest.json";

    public void Save(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, Json.Options));

    public static DatasetManifest Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: manifest not found.", path);
        try
        {
            return JsonSerializer.Deserialize<DatasetManifest>(File.ReadAllText(path), Json.Options)
                   ?? throw new InvalidDataException($"{path}: empty manifest.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a valid manifest ({e.Message}).", e);
        }
    }

    public static string Sha256(string path)
    {
        using var s = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(s));
    }

    /// <summary>Checksums of every file under <paramref name="root"/> except the manifest itself, by relative path with '/' separators.</summary>
    public static SortedDictionary<string, string> HashTree(string root)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var f in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            var rel = Path.GetRelativePath(root, f).Replace('\\', '/');
            if (rel != FileName) files[rel] = Sha256(f);
        }
        return files;
    }
}
