using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Repro.Reporting.Svg;

/// <summary>Reads values out of a plotly.js figure as plotly.js interprets them.</summary>
internal static class FigureData
{
    /// <summary>A number, or NaN for what plotly.js leaves out (null, "NaN", text that is not a number).</summary>
    public static double Number(JsonNode? n)
    {
        if (n is not JsonValue v) return double.NaN;
        if (v.GetValueKind() == JsonValueKind.Number) return v.GetValue<double>();
        return v.GetValueKind() == JsonValueKind.String &&
               double.TryParse(v.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : double.NaN;
    }

    public static bool IsText(JsonNode? n) =>
        n is JsonValue v && v.GetValueKind() == JsonValueKind.String && double.IsNaN(Number(n)) && v.GetValue<string>() != "NaN";

    /// <summary>A category label: the value's text (numbers in invariant form).</summary>
    public static string Label(JsonNode? n) => n switch
    {
        null => "",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.GetValue<double>().ToString(CultureInfo.InvariantCulture),
        _ => n.ToJsonString(),
    };

    public static IReadOnlyList<JsonNode?> Array(JsonObject o, string key) => o[key] as JsonArray is { } a ? a.ToList() : [];

    public static string? Title(JsonNode? title) => PlotlyFigure.TitleText(title);

    public static string? String(JsonNode? n) => n is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    /// <summary>A 2-D array of numbers (a heatmap's z), rows as given.</summary>
    public static double[][] Matrix(JsonNode? z) =>
        (z as JsonArray ?? []).Select(row => (row as JsonArray ?? []).Select(Number).ToArray()).ToArray();
}
