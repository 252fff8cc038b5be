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
    public string[] Classes { get; init; } = [];
    public string[] Preprocessing { get; init; } = [];
    /// <summary>Relative path -> SHA-256 (lower-case hex).</summary>
    public SortedDictionary<string, string> Files { get; init; } = new(StringComparer.Ordinal);

    public sealed record SplitManifest(string List, int Count, int[] ClassCounts);

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
