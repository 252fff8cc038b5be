using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Repro.Notebooks;

/// <summary>
/// JSON conventions of .ipynb files: "multiline strings" (a string or an array of lines), and the writer Jupyter and
/// VS Code use (keys sorted, one-space indent, non-ASCII kept, "\n" line ends, a final newline), so that a notebook
/// read and written again differs as little as possible from what the editors write.
/// </summary>
internal static class NotebookJson
{
    /// <summary>Reads an nbformat multiline string: a string, or an array of strings joined as is.</summary>
    public static string? ReadMultiline(JsonNode? node)
    {
        switch (node)
        {
            case null: return null;
            case JsonValue v when v.TryGetValue<string>(out var s): return s;
            case JsonArray a:
                var sb = new StringBuilder();
                foreach (var item in a)
                    if (item is JsonValue iv && iv.TryGetValue<string>(out var line)) sb.Append(line);
                    else throw new NotebookFormatException($"expected an array of strings, found {item?.ToJsonString() ?? "null"}");
                return sb.ToString();
            default: throw new NotebookFormatException($"expected a string or an array of strings, found {node.ToJsonString()}");
        }
    }

    /// <summary>Splits text into lines that keep their "\n" (the form Jupyter writes); empty text gives an empty array.</summary>
    public static JsonArray Lines(string text)
    {
        var a = new JsonArray();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
            if (text[i] == '\n')
            {
                a.Add(text[start..(i + 1)]);
                start = i + 1;
            }
        if (start < text.Length) a.Add(text[start..]);
        return a;
    }

    public static string? GetString(JsonObject o, string key) =>
        o[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public static JsonObject? GetObject(JsonObject o, string key) => o[key] as JsonObject;

    public static string? GetPath(JsonObject? o, params string[] path)
    {
        JsonNode? n = o;
        foreach (var p in path)
            n = n is JsonObject obj ? obj[p] : null;
        return n is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
    }

    /// <summary>Deep copy of an object (JsonNode instances cannot have two parents).</summary>
    public static JsonObject Clone(JsonObject? o) => o is null ? new JsonObject() : (JsonObject)o.DeepClone();

    static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        IndentSize = 1,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Serialises with keys sorted (ordinal), one-space indent and a final newline; an array of numbers (a
    /// chart's values, a heatmap's row) on one line, so a figure takes one line per series or row, not one per number.</summary>
    public static string Write(JsonNode node)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, WriterOptions))
            WriteSorted(w, node);
        return Encoding.UTF8.GetString(ms.ToArray()) + "\n";
    }

    static void WriteSorted(Utf8JsonWriter w, JsonNode? node)
    {
        switch (node)
        {
            case null:
                w.WriteNullValue();
                break;
            case JsonObject o:
                w.WriteStartObject();
                foreach (var kv in o.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    w.WritePropertyName(kv.Key);
                    WriteSorted(w, kv.Value);
                }
                w.WriteEndObject();
                break;
            case JsonArray { Count: > 0 } a when a.All(i => i is JsonValue v && v.GetValueKind() == JsonValueKind.Number):
                w.WriteRawValue(a.ToJsonString());
                break;
            case JsonArray a:
                w.WriteStartArray();
                foreach (var item in a) WriteSorted(w, item);
                w.WriteEndArray();
                break;
            default:
                node.WriteTo(w);
                break;
        }
    }
}

/// <summary>A notebook file that is not valid nbformat 4 JSON.</summary>
public sealed class NotebookFormatException(string message, Exception? inner = null) : Exception(message, inner);
