using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Plotly.NET;

namespace Repro.Reporting;

/// <summary>
/// A chart as a plotly.js figure, <c>{"data": [...], "layout": {...}}</c>: what the MIME type
/// <c>application/vnd.plotly.v1+json</c> carries (drawn interactively by JupyterLab and by VS Code's notebook renderers
/// without any script in the output) and what <c>Plotly.newPlot(div, data, layout)</c> takes.
/// </summary>
public static class PlotlyFigure
{
    /// <summary>The MIME type of a plotly.js figure in a notebook output.</summary>
    public const string MimeType = "application/vnd.plotly.v1+json";

    /// <summary>Trace types drawn on plain x/y axes: their figures need no geo, map, polar, 3-D or ternary settings.</summary>
    static readonly HashSet<string> Cartesian = ["bar", "scatter", "heatmap", "image", "histogram", "box", "violin", "contour"];

    /// <summary>
    /// Plotly.NET's figure JSON, kept small for notebooks that are committed: the layout template (Plotly.NET's copy of
    /// plotly.py's default look) keeps only the defaults of the trace types and axes the chart uses, empty animation
    /// frames are dropped, and the traces' numbers keep 6 significant digits (finer than any chart shows; full double
    /// precision made every regenerated copy differ in its last digits).
    /// </summary>
    public static JsonObject ToJson(GenericChart chart)
    {
        var figure = JsonNode.Parse(GenericChart.toFigureJson(chart))!.AsObject();
        if (figure["frames"] is JsonArray { Count: 0 }) figure.Remove("frames");
        var types = (figure["data"] as JsonArray ?? []).Select(t => t?["type"]?.GetValue<string>() ?? "scatter").ToHashSet();
        if (figure["layout"]?["template"] is JsonObject template)
        {
            if (template["data"] is JsonObject defaults)
                foreach (var type in defaults.Select(kv => kv.Key).Where(k => !types.Contains(k)).ToList())
                    defaults.Remove(type);
            if (types.IsSubsetOf(Cartesian) && template["layout"] is JsonObject look)
                foreach (var key in new[] { "geo", "mapbox", "polar", "scene", "ternary" }) look.Remove(key);
        }
        if (figure["data"] is JsonNode data) Round(data);
        return figure;
    }

    /// <summary>The text of a title, which plotly.js takes either as a string or as <c>{"text": ...}</c>; null when none.</summary>
    public static string? TitleText(JsonNode? title) => title switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonObject o => o["text"] is JsonValue t && t.GetValueKind() == JsonValueKind.String ? t.GetValue<string>() : null,
        _ => null,
    };

    static void Round(JsonNode node)
    {
        switch (node)
        {
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                    if (a[i] is JsonValue v && Rounded(v) is { } r) a[i] = r;
                    else if (a[i] is { } child) Round(child);
                break;
            case JsonObject o:
                foreach (var key in o.Select(kv => kv.Key).ToList())
                    if (o[key] is JsonValue v && Rounded(v) is { } r) o[key] = r;
                    else if (o[key] is { } child) Round(child);
                break;
        }
    }

    static JsonValue? Rounded(JsonValue v) =>
        v.GetValueKind() == JsonValueKind.Number && v.GetValue<double>() is var d && d != Math.Round(d)
            ? JsonValue.Create(double.Parse(d.ToString("G6", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture))
            : null;
}
