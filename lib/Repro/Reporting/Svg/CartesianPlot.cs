using System.Text.Json.Nodes;
using static Repro.Reporting.Svg.FigureData;

namespace Repro.Reporting.Svg;

/// <summary>
/// Bar and scatter traces on one x and one y axis. Bars stand on categories (several bar traces side by side in each
/// category, plotly.js's default barmode "group", bar gap 0.2) and include zero; scatter traces are lines and/or
/// markers on categories or numbers, broken where a value is missing (NaN or null).
/// </summary>
internal sealed class CartesianPlot : IPlot
{
    const double TickFont = 12, MaxLabelPixels = 150;
    readonly List<(JsonObject Trace, Rgba Color, string Name)> _traces;
    readonly ChartStyle _style;
    readonly List<string>? _categories;
    readonly (double Lo, double Hi) _x, _y;
    readonly bool _integerX, _legend;
    readonly IReadOnlyList<(double Value, string Label)> _yTicks;

    CartesianPlot(List<(JsonObject, Rgba, string)> traces, ChartStyle style, List<string>? categories,
        (double, double) x, bool integerX, (double, double) y, bool legend)
    {
        (_traces, _style, _categories, _x, _integerX, _y, _legend) = (traces, style, categories, x, integerX, y, legend);
        _yTicks = Ticks.Nice(_y.Lo, _y.Hi, 6);
    }

    public static CartesianPlot Create(IReadOnlyList<JsonObject> all, JsonObject layout, ChartStyle style)
    {
        var traces = new List<(JsonObject, Rgba, string)>();
        for (var i = 0; i < all.Count; i++)
            if (ChartSvg.TypeOf(all[i]) is "bar" or "scatter")
                traces.Add((all[i], OwnColor(all[i]) ?? style.Colorway[i % style.Colorway.Count], String(all[i]["name"]) ?? $"trace {i}"));

        var hasBars = traces.Any(t => ChartSvg.TypeOf(t.Item1) == "bar");
        var xs = traces.SelectMany(t => XValues(t.Item1)).ToList();
        List<string>? categories = hasBars || xs.Any(IsText) ? xs.Select(Label).Distinct().ToList() : null;
        var xNumbers = xs.Select(Number).Where(double.IsFinite).DefaultIfEmpty(0).ToList();
        var ys = traces.SelectMany(t => Array(t.Item1, "y")).Select(Number).Where(double.IsFinite).ToList();
        var y = ys.Count == 0 ? Ticks.Range(0, 1, hasBars, 0) : Ticks.Range(ys.Min(), ys.Max(), hasBars, 0.05);
        var x = (xNumbers.Min(), xNumbers.Max() > xNumbers.Min() ? xNumbers.Max() : xNumbers.Min() + 1);
        var legend = layout["showlegend"] is JsonValue show ? show.GetValue<bool>() : traces.Count > 1;
        return new CartesianPlot(traces, style, categories, x, xNumbers.All(v => v == Math.Round(v)), y, legend);
    }

    static Rgba? OwnColor(JsonObject t) => ChartColors.Parse(String(t["marker"]?["color"])) ?? ChartColors.Parse(String(t["line"]?["color"]));

    /// <summary>The x values of a trace; plotly.js numbers the points 0, 1, ... when x is absent.</summary>
    static IReadOnlyList<JsonNode?> XValues(JsonObject t)
    {
        var x = Array(t, "x");
        return x.Count > 0 ? x : Enumerable.Range(0, Array(t, "y").Count).Select(i => (JsonNode?)JsonValue.Create(i)).ToList();
    }

    IEnumerable<string> LegendNames => _traces.Select(t => t.Name.Length > 36 ? t.Name[..35] + "…" : t.Name);

    public double YLabelWidth => _yTicks.Select(t => SvgCanvas.TextWidth(t.Label, TickFont)).DefaultIfEmpty(0).Max();
    public double RightWidth => _legend ? 40 + LegendNames.Max(n => SvgCanvas.TextWidth(n, TickFont)) : 0;

    /// <summary>Category labels: level when they fit their band, else turned 45° (clipped to 150 px); every k-th when crowded.</summary>
    (bool Turn, int Every) CategoryLabels(double plotWidth)
    {
        if (_categories is null || _categories.Count == 0) return (false, 1);
        var band = plotWidth / _categories.Count;
        var widest = _categories.Max(c => SvgCanvas.TextWidth(c, TickFont));
        return (widest > band - 6, Math.Max(1, (int)Math.Ceiling(16 / band)));
    }

    public double XLabelHeight(double plotWidth)
    {
        var (turn, _) = CategoryLabels(plotWidth);
        return turn ? Math.Min(MaxLabelPixels, _categories!.Max(c => SvgCanvas.TextWidth(c, TickFont))) * 0.71 : 0;
    }

    public void Draw(SvgCanvas c, PlotFrame f)
    {
        c.Rect("plot", f.Left, f.Top, f.Width, f.Height, _style.PlotBackground);
        var y = new Scale(_y.Lo, _y.Hi, f.Bottom, f.Top);
        _style.YAxis(c, f, y, _yTicks);
        Func<JsonNode?, double> px;
        var band = 0.0;
        if (_categories is not null)
        {
            band = f.Width / Math.Max(1, _categories.Count);
            var index = _categories.Select((cat, i) => (cat, i)).ToDictionary(p => p.cat, p => p.i);
            px = v => f.Left + (index[Label(v)] + 0.5) * band;
            var (turn, every) = CategoryLabels(f.Width);
            for (var i = 0; i < _categories.Count; i += every)
            {
                var label = Clip(_categories[i]);
                var cx = f.Left + (i + 0.5) * band;
                if (turn) c.Text("xtick", cx + 4, f.Bottom + 14, label, TickFont, _style.Font, "end", -45);
                else c.Text("xtick", cx, f.Bottom + 18, label, TickFont, _style.Font, "middle");
            }
        }
        else
        {
            var x = new Scale(_x.Lo, _x.Hi, f.Left, f.Right);
            _style.XAxis(c, f, x, Ticks.Nice(_x.Lo, _x.Hi, Math.Max(2, (int)(f.Width / 90)), _integerX));
            px = v => x.Map(Number(v));
        }

        var bars = _traces.Where(t => ChartSvg.TypeOf(t.Trace) == "bar").ToList();
        var barWidth = band * 0.8 / Math.Max(1, bars.Count);
        for (var k = 0; k < bars.Count; k++)
        {
            var (trace, color, _) = bars[k];
            var xs = XValues(trace);
            var ys = Array(trace, "y");
            for (var i = 0; i < Math.Min(xs.Count, ys.Count); i++)
            {
                var v = Number(ys[i]);
                if (!double.IsFinite(v)) continue;
                var x0 = px(xs[i]) - band * 0.4 + k * barWidth;
                c.Rect("bar", x0, y.Map(Math.Max(0, v)), barWidth, Math.Abs(y.Map(v) - y.Map(0)), color.Attr());
            }
        }
        foreach (var (trace, color, _) in _traces.Where(t => ChartSvg.TypeOf(t.Trace) == "scatter"))
        {
            var xs = XValues(trace);
            var ys = Array(trace, "y");
            var points = Enumerable.Range(0, Math.Min(xs.Count, ys.Count))
                .Select(i => double.IsFinite(Number(ys[i])) ? (px(xs[i]), y.Map(Number(ys[i]))) : (double.NaN, double.NaN)).ToList();
            var mode = String(trace["mode"]) ?? (points.Count < 20 ? "lines+markers" : "lines");
            if (mode.Contains("lines")) c.Path("line", points, color.Attr("stroke"));
            if (mode.Contains("markers"))
                foreach (var (x0, y0) in points.Where(p => !double.IsNaN(p.Item1))) c.Circle("marker", x0, y0, 3, color.Attr());
        }
        _style.AxisTitles(c, f);
        if (_legend) Legend(c, f);
    }

    static string Clip(string label)
    {
        var max = (int)(MaxLabelPixels / (TickFont * 0.58));
        return label.Length > max ? label[..(max - 1)] + "…" : label;
    }

    void Legend(SvgCanvas c, PlotFrame f)
    {
        var names = LegendNames.ToList();
        for (var i = 0; i < _traces.Count; i++)
        {
            var (trace, color, _) = _traces[i];
            var x = f.Right + 14;
            var y = f.Top + 8 + i * 20;
            if (ChartSvg.TypeOf(trace) == "bar") c.Rect("legend-swatch", x, y - 5, 16, 10, color.Attr());
            else c.Line("legend-swatch", x, y, x + 16, y, color.Attr("stroke"), 2);
            c.Text("legend-item", x + 22, y + 4, names[i], TickFont, _style.Font);
        }
    }
}
