using System.Globalization;
using System.Text.Json.Nodes;

namespace Repro.Reporting.Svg;

/// <summary>An RGB colour with opacity.</summary>
internal readonly record struct Rgba(byte R, byte G, byte B, double A)
{
    public string Hex => $"#{R:x2}{G:x2}{B:x2}";

    /// <summary>A fill or stroke attribute value, with an opacity attribute when not opaque.</summary>
    public string Attr(string kind = "fill") => A >= 1 ? Hex : $"{Hex}\" {kind}-opacity=\"{SvgCanvas.N(A)}";

    public static Rgba Lerp(Rgba a, Rgba b, double t) => new(
        (byte)Math.Round(a.R + (b.R - a.R) * t), (byte)Math.Round(a.G + (b.G - a.G) * t), (byte)Math.Round(a.B + (b.B - a.B) * t), 1);
}

/// <summary>Colours as plotly.js reads them: CSS strings, the layout's colorway, a heatmap's colorscale.</summary>
internal static class ChartColors
{
    /// <summary>plotly.js's own colorway, used when the figure has none.</summary>
    static readonly string[] PlotlyColorway =
        ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    /// <summary>Parses #rgb, #rrggbb, rgb(r, g, b) and rgba(r, g, b, a); null for anything else.</summary>
    public static Rgba? Parse(string? css)
    {
        if (string.IsNullOrWhiteSpace(css)) return null;
        var s = css.Trim();
        if (s.StartsWith('#'))
        {
            var h = s[1..];
            if (h.Length == 3) h = string.Concat(h.Select(c => $"{c}{c}"));
            return h.Length == 6 && int.TryParse(h, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var v)
                ? new Rgba((byte)(v >> 16), (byte)(v >> 8), (byte)v, 1) : null;
        }
        var open = s.IndexOf('(');
        if (open < 0 || !s.EndsWith(')')) return null;
        var parts = s[(open + 1)..^1].Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length < 3) return null;
        static double P(string p) => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : double.NaN;
        var (r, g, b) = (P(parts[0]), P(parts[1]), P(parts[2]));
        var a = parts.Length > 3 ? P(parts[3]) : 1;
        if (double.IsNaN(r + g + b + a)) return null;
        static byte B(double x) => (byte)Math.Clamp(Math.Round(x), 0, 255);
        return new Rgba(B(r), B(g), B(b), Math.Clamp(a, 0, 1));
    }

    /// <summary>The trace colours in order: the layout's colorway, else its template's, else plotly.js's default.</summary>
    public static IReadOnlyList<Rgba> Colorway(JsonObject layout)
    {
        var way = (layout["colorway"] ?? layout["template"]?["layout"]?["colorway"]) as JsonArray;
        var parsed = way?.Select(c => Parse(c?.GetValue<string>())).OfType<Rgba>().ToList();
        return parsed is { Count: > 0 } ? parsed : PlotlyColorway.Select(c => Parse(c)!.Value).ToList();
    }

    /// <summary>
    /// A colorscale, <c>[[0, colour], ..., [1, colour]]</c>: the trace's, else the template's for its type, else the
    /// template's sequential scale, else a plasma-like sequential scale.
    /// </summary>
    public static IReadOnlyList<(double At, Rgba Color)> Colorscale(JsonObject trace, JsonObject layout, string type)
    {
        var scale = trace["colorscale"] as JsonArray
                    ?? layout["template"]?["data"]?[type]?[0]?["colorscale"] as JsonArray
                    ?? layout["template"]?["layout"]?["colorscale"]?["sequential"] as JsonArray;
        var stops = scale?.OfType<JsonArray>()
            .Select(p => (At: p[0]?.GetValue<double>() ?? 0, Color: Parse(p[1]?.GetValue<string>())))
            .Where(p => p.Color is not null).Select(p => (p.At, p.Color!.Value)).ToList();
        return stops is { Count: >= 2 } ? stops : [(0, Parse("#0d0887")!.Value), (0.5, Parse("#cc4778")!.Value), (1, Parse("#f0f921")!.Value)];
    }

    /// <summary>The colour at <paramref name="t"/> in [0, 1] on a colorscale.</summary>
    public static Rgba At(IReadOnlyList<(double At, Rgba Color)> scale, double t)
    {
        t = Math.Clamp(t, 0, 1);
        for (var i = 1; i < scale.Count; i++)
            if (t <= scale[i].At)
            {
                var span = scale[i].At - scale[i - 1].At;
                return Rgba.Lerp(scale[i - 1].Color, scale[i].Color, span <= 0 ? 0 : (t - scale[i - 1].At) / span);
            }
        return scale[^1].Color;
    }
}
