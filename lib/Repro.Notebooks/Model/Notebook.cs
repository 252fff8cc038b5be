using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Repro.Notebooks;

/// <summary>
/// An nbformat 4 notebook (.ipynb), read and written faithfully: metadata and properties this model does not know are
/// kept, outputs of unknown types are kept as read, and JSON is written the way Jupyter and VS Code write it
/// (sorted keys, one-space indent). Cell ids, required from nbformat 4.5 on, are generated deterministically where
/// missing (<see cref="EnsureCellIds"/>).
/// </summary>
public sealed partial class Notebook
{
    public int NbFormat { get; set; } = 4;
    public int NbFormatMinor { get; set; } = 5;
    public JsonObject Metadata { get; set; } = new();
    public List<NotebookCell> Cells { get; } = [];
    /// <summary>Top-level properties this model does not know, written back unchanged.</summary>
    public JsonObject Extra { get; } = new();

    public static Notebook Load(string path)
    {
        try { return Parse(File.ReadAllText(path)); }
        catch (NotebookFormatException e) { throw new NotebookFormatException($"{path}: {e.Message}", e); }
    }

    public static Notebook Parse(string json)
    {
        JsonNode? root;
        try { root = JsonNode.Parse(json); }
        catch (JsonException e) { throw new NotebookFormatException("not valid JSON: " + e.Message, e); }
        if (root is not JsonObject o) throw new NotebookFormatException("the top level is not a JSON object");
        var nb = new Notebook
        {
            NbFormat = o["nbformat"] is JsonValue f && f.TryGetValue<int>(out var major) ? major : throw new NotebookFormatException("nbformat is missing"),
            NbFormatMinor = o["nbformat_minor"] is JsonValue m && m.TryGetValue<int>(out var minor) ? minor : 0,
            Metadata = NotebookJson.Clone(o["metadata"] as JsonObject),
        };
        if (nb.NbFormat != 4) throw new NotebookFormatException($"nbformat {nb.NbFormat} is not supported (only nbformat 4)");
        if (o["cells"] is not JsonArray cells) throw new NotebookFormatException("cells is missing");
        foreach (var c in cells)
            nb.Cells.Add(NotebookCell.FromJson(c as JsonObject ?? throw new NotebookFormatException("a cell is not a JSON object")));
        foreach (var kv in o)
            if (kv.Key is not ("nbformat" or "nbformat_minor" or "metadata" or "cells")) nb.Extra[kv.Key] = kv.Value?.DeepClone();
        return nb;
    }

    /// <summary>The notebook as a JSON tree. From nbformat 4.5 on, missing cell ids are generated first.</summary>
    public JsonObject ToJsonNode()
    {
        if (NbFormatMinor >= 5) EnsureCellIds();
        var o = new JsonObject
        {
            ["cells"] = new JsonArray(Cells.Select(c => (JsonNode?)c.ToJson()).ToArray()),
            ["metadata"] = NotebookJson.Clone(Metadata),
            ["nbformat"] = NbFormat,
            ["nbformat_minor"] = NbFormatMinor,
        };
        foreach (var kv in Extra)
            if (!o.ContainsKey(kv.Key)) o[kv.Key] = kv.Value?.DeepClone();
        return o;
    }

    /// <summary>The .ipynb text (sorted keys, one-space indent, final newline).</summary>
    public string ToJson() => NotebookJson.Write(ToJsonNode());

    /// <summary>Writes the notebook atomically (a temporary file in the same folder, then a rename).
    /// Refuses to replace an existing file unless <paramref name="overwrite"/>.</summary>
    public void Save(string path, bool overwrite = false) => AtomicFile.WriteAllText(path, ToJson(), overwrite);

    /// <summary>
    /// Gives every cell without a valid id one derived from its position and content (the same notebook always gets the
    /// same ids); duplicates get a numeric suffix. Valid existing ids are kept.
    /// </summary>
    public void EnsureCellIds()
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        var keep = new bool[Cells.Count];
        for (var i = 0; i < Cells.Count; i++)
            keep[i] = Cells[i].Id is { } id && IsValidCellId(id) && used.Add(id); // the first of duplicates keeps its id
        for (var i = 0; i < Cells.Count; i++)
        {
            if (keep[i]) continue;
            var baseId = DerivedId(i, Cells[i]);
            var id = baseId;
            for (var k = 2; !used.Add(id); k++) id = $"{baseId}-{k}";
            Cells[i].Id = id;
        }
    }

    static string DerivedId(int index, NotebookCell cell)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes($"{index}\n{cell.CellType}\n{cell.Source}"));
        return Convert.ToHexStringLower(bytes)[..16];
    }

    /// <summary>nbformat 4.5: ^[a-zA-Z0-9-_]+$, 1 to 64 characters.</summary>
    public static bool IsValidCellId(string id) => id.Length is >= 1 and <= 64 && CellIdPattern().IsMatch(id);

    [GeneratedRegex("^[a-zA-Z0-9-_]+$")]
    private static partial Regex CellIdPattern();
}

/// <summary>Writes a file through a temporary file in the same folder and a rename, so readers never see half a file.</summary>
public static class AtomicFile
{
    public static void WriteAllText(string path, string text, bool overwrite)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        if (!overwrite && File.Exists(full)) throw new OutputExistsException(full);
        var tmp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllText(tmp, text, new UTF8Encoding(false));
            try { File.Move(tmp, full, overwrite); }
            catch (IOException) when (!overwrite && File.Exists(full)) { throw new OutputExistsException(full); }
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }
}

/// <summary>An output file exists and the caller did not allow replacing it.</summary>
public sealed class OutputExistsException(string path) : IOException(
    $"{path} already exists; refusing to overwrite it (set RunOptions.Overwrite, or the command's --force option, to replace it)")
{
    public string Path { get; } = path;
}
