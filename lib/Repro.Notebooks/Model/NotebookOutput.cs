using System.Text.Json.Nodes;

namespace Repro.Notebooks;

/// <summary>One output of a code cell (nbformat 4): stream, display_data, execute_result, error, or a kind this
/// reader does not know (kept as read).</summary>
public abstract class NotebookOutput
{
    public abstract string OutputType { get; }

    /// <summary>Properties this model does not know, written back unchanged.</summary>
    public JsonObject Extra { get; init; } = new();

    internal abstract JsonObject ToJson();

    internal static NotebookOutput FromJson(JsonObject o)
    {
        var type = NotebookJson.GetString(o, "output_type") ?? throw new NotebookFormatException("output without output_type");
        NotebookOutput output = type switch
        {
            "stream" => new StreamOutput(NotebookJson.GetString(o, "name") ?? "stdout", NotebookJson.ReadMultiline(o["text"]) ?? ""),
            "display_data" => new DisplayDataOutput(MimeBundle.FromJson(o["data"] as JsonObject), NotebookJson.Clone(o["metadata"] as JsonObject)),
            "execute_result" => new ExecuteResultOutput(
                MimeBundle.FromJson(o["data"] as JsonObject),
                NotebookJson.Clone(o["metadata"] as JsonObject),
                o["execution_count"] is JsonValue c && c.TryGetValue<int>(out var n) ? n : null),
            "error" => new ErrorOutput(
                NotebookJson.GetString(o, "ename") ?? "",
                NotebookJson.GetString(o, "evalue") ?? "",
                (o["traceback"] as JsonArray)?.Select(t => t?.GetValue<string>() ?? "").ToList() ?? []),
            _ => new UnknownOutput(NotebookJson.Clone(o)),
        };
        if (output is not UnknownOutput)
            foreach (var kv in o)
                if (!output.KnownKeys.Contains(kv.Key)) output.Extra[kv.Key] = kv.Value?.DeepClone();
        return output;
    }

    private protected abstract IReadOnlySet<string> KnownKeys { get; }

    private protected JsonObject WithExtra(JsonObject o)
    {
        foreach (var kv in Extra)
            if (!o.ContainsKey(kv.Key)) o[kv.Key] = kv.Value?.DeepClone();
        return o;
    }
}

/// <summary>Text written to stdout or stderr.</summary>
public sealed class StreamOutput(string name, string text) : NotebookOutput
{
    public const string Stdout = "stdout";
    public const string Stderr = "stderr";

    public override string OutputType => "stream";
    public string Name { get; set; } = name;
    public string Text { get; set; } = text;

    static readonly HashSet<string> Keys = ["output_type", "name", "text"];
    private protected override IReadOnlySet<string> KnownKeys => Keys;

    internal override JsonObject ToJson() => WithExtra(new JsonObject
    {
        ["output_type"] = OutputType,
        ["name"] = Name,
        ["text"] = NotebookJson.Lines(Text),
    });
}

/// <summary>A displayed value: a MIME bundle and its metadata.</summary>
public class DisplayDataOutput(MimeBundle data, JsonObject? metadata = null) : NotebookOutput
{
    public override string OutputType => "display_data";
    public MimeBundle Data { get; set; } = data;
    public JsonObject Metadata { get; set; } = metadata ?? new JsonObject();

    static readonly HashSet<string> Keys = ["output_type", "data", "metadata"];
    private protected override IReadOnlySet<string> KnownKeys => Keys;

    internal override JsonObject ToJson() => WithExtra(new JsonObject
    {
        ["output_type"] = OutputType,
        ["data"] = Data.ToJson(),
        ["metadata"] = NotebookJson.Clone(Metadata),
    });
}

/// <summary>The value of a cell's last expression.</summary>
public sealed class ExecuteResultOutput(MimeBundle data, JsonObject? metadata, int? executionCount) : DisplayDataOutput(data, metadata)
{
    public override string OutputType => "execute_result";
    public int? ExecutionCount { get; set; } = executionCount;

    static readonly HashSet<string> Keys = ["output_type", "data", "metadata", "execution_count"];
    private protected override IReadOnlySet<string> KnownKeys => Keys;

    internal override JsonObject ToJson()
    {
        var o = base.ToJson();
        o["execution_count"] = ExecutionCount;
        return o;
    }
}

/// <summary>An exception or a compile error: name, message and traceback lines.</summary>
public sealed class ErrorOutput(string ename, string evalue, IEnumerable<string> traceback) : NotebookOutput
{
    public override string OutputType => "error";
    public string EName { get; set; } = ename;
    public string EValue { get; set; } = evalue;
    public List<string> Traceback { get; } = traceback.ToList();

    static readonly HashSet<string> Keys = ["output_type", "ename", "evalue", "traceback"];
    private protected override IReadOnlySet<string> KnownKeys => Keys;

    internal override JsonObject ToJson() => WithExtra(new JsonObject
    {
        ["output_type"] = OutputType,
        ["ename"] = EName,
        ["evalue"] = EValue,
        ["traceback"] = new JsonArray(Traceback.Select(t => (JsonNode?)JsonValue.Create(t)).ToArray()),
    });
}

/// <summary>An output type this reader does not know (a future nbformat minor version): kept as read.</summary>
public sealed class UnknownOutput(JsonObject raw) : NotebookOutput
{
    public JsonObject Raw { get; } = raw;
    public override string OutputType => NotebookJson.GetString(Raw, "output_type") ?? "";
    private protected override IReadOnlySet<string> KnownKeys => new HashSet<string>();
    internal override JsonObject ToJson() => NotebookJson.Clone(Raw);
}
