using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Repro.Methods;

/// <summary>
/// A method's name and options, as data (a JSON object): what a registry entry, a parity fixture or a CLI flag says.
/// Typed getters remember which keys were read, so unknown options can be reported instead of silently ignored.
/// </summary>
public sealed class MethodOptions
{
    readonly JsonObject _values;
    readonly HashSet<string> _read = new();

    public MethodOptions(string method, JsonObject? values = null)
    {
        Method = method;
        _values = values ?? new JsonObject();
    }

    public string Method { get; }

    public static MethodOptions Parse(string method, IEnumerable<string> keyEqualsValue)
    {
        var o = new JsonObject();
        foreach (var kv in keyEqualsValue)
        {
            int eq = kv.IndexOf('=');
            if (eq <= 0) throw new ArgumentException($"Option '{kv}' of method {method}: expected key=value.");
            var key = kv[..eq].Trim();
            var raw = kv[(eq + 1)..].Trim();
            o[key] = double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? JsonValue.Create(d)
                : bool.TryParse(raw, out var b) ? JsonValue.Create(b)
                : raw.Contains(',') ? new JsonArray(raw.Split(',').Select(s => (JsonNode?)JsonValue.Create(s.Trim())).ToArray())
                : JsonValue.Create(raw);
        }
        return new MethodOptions(method, o);
    }

    public MethodOptions With(string key, JsonNode? value)
    {
        var copy = (JsonObject)_values.DeepClone();
        copy[key] = value?.DeepClone();
        return new MethodOptions(Method, copy);
    }

    public bool Has(string key) => _values.ContainsKey(key);

    public string String(string key, string fallback) => Read(key) is { } n ? n.GetValueKind() == JsonValueKind.String ? n.GetValue<string>() : n.ToJsonString() : fallback;
    public double Double(string key, double fallback) => Read(key) is { } n ? Convert(key, n, () => n.GetValue<double>()) : fallback;
    public int Int(string key, int fallback) => Read(key) is { } n ? Convert(key, n, () => (int)n.GetValue<double>()) : fallback;
    public bool Bool(string key, bool fallback) => Read(key) is { } n ? Convert(key, n, () => n.GetValue<bool>()) : fallback;
    public IReadOnlyList<string>? Strings(string key) => Read(key) switch
    {
        null => null,
        JsonArray a => a.Select(x => x!.GetValue<string>()).ToArray(),
        var n => [n.GetValue<string>()],
    };

    /// <summary>One of <paramref name="allowed"/>; anything else is an error naming the option and the allowed values.</summary>
    public string Choice(string key, string fallback, params string[] allowed)
    {
        var v = String(key, fallback);
        if (!allowed.Contains(v))
            throw new ArgumentException($"Method {Method}: option {key}={v} is not one of {string.Join(", ", allowed)}.");
        return v;
    }

    /// <summary>Keys present but never read by the method (typos, options of another method).</summary>
    public IEnumerable<string> Unread() => _values.Select(kv => kv.Key).Where(k => !_read.Contains(k));

    /// <summary>"name(key=value, ...)" with keys sorted: a stable identity for results.</summary>
    public string Describe() => _values.Count == 0 ? Method
        : $"{Method}({string.Join(", ", _values.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={Show(kv.Value)}"))})";

    public JsonObject ToJson() => (JsonObject)_values.DeepClone();

    static string Show(JsonNode? n) => n is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : n?.ToJsonString() ?? "null";

    JsonNode? Read(string key)
    {
        _read.Add(key);
        return _values.TryGetPropertyValue(key, out var n) ? n : null;
    }

    T Convert<T>(string key, JsonNode n, Func<T> get)
    {
        try { return get(); }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new ArgumentException($"Method {Method}: option {key}={n.ToJsonString()} is not a {typeof(T).Name}.", e);
        }
    }
}
