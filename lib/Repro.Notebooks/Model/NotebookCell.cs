using System.Text.Json.Nodes;

namespace Repro.Notebooks;

/// <summary>Cell types of nbformat 4.</summary>
public static class CellTypes
{
    public const string Code = "code";
    public const string Markdown = "markdown";
    public const string Raw = "raw";
}

/// <summary>
/// One cell of an nbformat 4 notebook. Source is held as one string (the file's array of lines joined);
/// metadata is kept as read, including keys this model does not know.
/// </summary>
public sealed class NotebookCell
{
    public NotebookCell(string cellType, string source, JsonObject? metadata = null)
    {
        CellType = cellType;
        Source = source;
        Metadata = metadata ?? new JsonObject();
    }

    /// <summary>The nbformat 4.5 cell id (pattern ^[a-zA-Z0-9-_]+$, 1-64 characters), or null if the file had none.</summary>
    public string? Id { get; set; }
    public string CellType { get; set; }
    public string Source { get; set; }
    public JsonObject Metadata { get; set; }
    /// <summary>Code cells: the prompt number, null when not executed.</summary>
    public int? ExecutionCount { get; set; }
    /// <summary>Code cells: outputs in order.</summary>
    public List<NotebookOutput> Outputs { get; } = [];
    /// <summary>Markdown and raw cells: attachments (file name to MIME bundle), kept as read.</summary>
    public JsonObject? Attachments { get; set; }
    /// <summary>Properties this model does not know, written back unchanged.</summary>
    public JsonObject Extra { get; } = new();

    public bool IsCode => CellType == CellTypes.Code;
    public bool IsMarkdown => CellType == CellTypes.Markdown;

    /// <summary>The Polyglot kernel named in the cell's metadata (polyglot_notebook.kernelName, else the older
    /// dotnet_interactive.language), or null if the metadata names none.</summary>
    public string? KernelName =>
        NotebookJson.GetPath(Metadata, "polyglot_notebook", "kernelName") ??
        NotebookJson.GetPath(Metadata, "dotnet_interactive", "language");

    /// <summary>The first non-blank line of the source, trimmed (for messages).</summary>
    public string FirstLine =>
        Source.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "";

    /// <summary>A code cell (no Polyglot metadata; see <see cref="PolyglotNotebook.Code"/> for that).</summary>
    public static NotebookCell Code(string source, JsonObject? metadata = null) => new(CellTypes.Code, source, metadata);
    public static NotebookCell Markdown(string source) => new(CellTypes.Markdown, source);

    static readonly HashSet<string> Known = ["id", "cell_type", "metadata", "source", "outputs", "execution_count", "attachments"];
    // A cell type from a future nbformat version: everything but these is kept as read.
    static readonly HashSet<string> Common = ["id", "cell_type", "metadata", "source"];

    internal static NotebookCell FromJson(JsonObject o)
    {
        var type = NotebookJson.GetString(o, "cell_type") ?? throw new NotebookFormatException("cell without cell_type");
        var cell = new NotebookCell(type, NotebookJson.ReadMultiline(o["source"]) ?? "", NotebookJson.Clone(o["metadata"] as JsonObject))
        {
            Id = NotebookJson.GetString(o, "id"),
            Attachments = type is CellTypes.Markdown or CellTypes.Raw && o["attachments"] is JsonObject att ? (JsonObject)att.DeepClone() : null,
        };
        var known = type is CellTypes.Code or CellTypes.Markdown or CellTypes.Raw ? Known : Common;
        if (type == CellTypes.Code)
        {
            if (o["execution_count"] is JsonValue ec && ec.TryGetValue<int>(out var n)) cell.ExecutionCount = n;
            if (o["outputs"] is JsonArray outs)
                foreach (var item in outs)
                    cell.Outputs.Add(NotebookOutput.FromJson(item as JsonObject ?? throw new NotebookFormatException("output is not an object")));
        }
        foreach (var kv in o)
            if (!known.Contains(kv.Key)) cell.Extra[kv.Key] = kv.Value?.DeepClone();
        return cell;
    }

    internal JsonObject ToJson()
    {
        var o = new JsonObject();
        if (Id is not null) o["id"] = Id;
        o["cell_type"] = CellType;
        o["metadata"] = NotebookJson.Clone(Metadata);
        o["source"] = NotebookJson.Lines(Source);
        if (IsCode)
        {
            o["execution_count"] = ExecutionCount;
            o["outputs"] = new JsonArray(Outputs.Select(x => (JsonNode?)x.ToJson()).ToArray());
        }
        else if (Attachments is not null && CellType is CellTypes.Markdown or CellTypes.Raw)
        {
            o["attachments"] = Attachments.DeepClone();
        }
        foreach (var kv in Extra)
            if (!o.ContainsKey(kv.Key)) o[kv.Key] = kv.Value?.DeepClone();
        return o;
    }
}
