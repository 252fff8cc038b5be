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

    /// <summary>
    /// Plotly.NET's figure JSON, kept small: the layout template (Plotly.NET's copy of plotly.py's default look) keeps
    /// its defaults for the trace types the chart uses only, and empty animation frames are dropped.
    /// </summary>
    public static JsonObject ToJson(GenericChart chart)
    {
        var figure = JsonNode.Parse(GenericChart.toFigureJson(chart))!.AsObject();
        if (figure["frames"] is JsonArray { Count: 0 }) figure.Remove("frames");
        var types = (figure["data"] as JsonArray ?? []).Select(t => t?["type"]?.GetValue<string>() ?? "scatter").ToHashSet();
        if (figure["layout"]?["template"]?["data"] is JsonObject defaults)
            foreach (var type in defaults.Select(kv => kv.Key).Where(k => !types.Contains(k)).ToList())
                defaults.Remove(type);
        return figure;
    }
}
