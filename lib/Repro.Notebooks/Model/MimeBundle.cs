using System.Collections;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Repro.Notebooks;

/// <summary>
/// The <c>data</c> of a display_data or execute_result output: MIME type to content. Text types hold a multiline
/// string; JSON types (<c>application/json</c>, <c>application/*+json</c>) hold any JSON value. Values read from a
/// file are kept in their original form (string or array of lines) so that a round trip changes nothing.
/// </summary>
public sealed partial class MimeBundle : IEnumerable<KeyValuePair<string, JsonNode?>>
{
    readonly List<KeyValuePair<string, JsonNode?>> _items = [];

    public const string PlainText = "text/plain";
    public const string Html = "text/html";
    public const string Markdown = "text/markdown";

    public int Count => _items.Count;
    public IEnumerable<string> MimeTypes => _items.Select(kv => kv.Key);
    public bool Contains(string mimeType) => IndexOf(mimeType) >= 0;

    /// <summary>The content of a MIME type as text (lines joined; a JSON value as its JSON text), or null if absent.</summary>
    public string? this[string mimeType]
    {
        get
        {
            var i = IndexOf(mimeType);
            if (i < 0) return null;
            var node = _items[i].Value;
            return IsJsonMime(mimeType) ? node?.ToJsonString() : NotebookJson.ReadMultiline(node);
        }
        set
        {
            if (value is null) Remove(mimeType);
            else SetText(mimeType, value);
        }
    }

    /// <summary>Sets text content. text/* types and SVG are stored as an array of lines, as Jupyter writes them (a
    /// diff then shows the lines that changed); other types (base64 images) as one string.</summary>
    public MimeBundle SetText(string mimeType, string text) =>
        SetNode(mimeType, IsLineText(mimeType) ? NotebookJson.Lines(text) : JsonValue.Create(text));

    static bool IsLineText(string mimeType) => mimeType.StartsWith("text/", StringComparison.Ordinal) || mimeType == "image/svg+xml";

    /// <summary>Sets a JSON value (for application/json and application/*+json types).</summary>
    public MimeBundle SetJson(string mimeType, JsonNode? value) => SetNode(mimeType, value);

    public JsonNode? GetNode(string mimeType)
    {
        var i = IndexOf(mimeType);
        return i < 0 ? null : _items[i].Value;
    }

    public bool Remove(string mimeType)
    {
        var i = IndexOf(mimeType);
        if (i < 0) return false;
        _items.RemoveAt(i);
        return true;
    }

    MimeBundle SetNode(string mimeType, JsonNode? node)
    {
        var i = IndexOf(mimeType);
        if (i >= 0) _items[i] = new(mimeType, node);
        else _items.Add(new(mimeType, node));
        return this;
    }

    int IndexOf(string mimeType) => _items.FindIndex(kv => kv.Key == mimeType);

    /// <summary>JSON MIME types whose values may be any JSON, per the nbformat schema.</summary>
    public static bool IsJsonMime(string mimeType) => JsonMime().IsMatch(mimeType);

    [GeneratedRegex(@"^application/(.*\+)?json$")]
    private static partial Regex JsonMime();

    internal static MimeBundle FromJson(JsonObject? o)
    {
        var b = new MimeBundle();
        if (o is null) return b;
        foreach (var kv in o) b._items.Add(new(kv.Key, kv.Value?.DeepClone()));
        return b;
    }

    internal JsonObject ToJson()
    {
        var o = new JsonObject();
        foreach (var kv in _items) o[kv.Key] = kv.Value?.DeepClone();
        return o;
    }

    public IEnumerator<KeyValuePair<string, JsonNode?>> GetEnumerator() => _items.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
