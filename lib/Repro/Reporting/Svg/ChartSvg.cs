using System.Text.Json.Nodes;
using Plotly.NET;
using static Repro.Reporting.Svg.FigureData;

namespace Repro.Reporting.Svg;

/// <summary>
/// A static SVG of a plotly.js figure, for viewers that run no scripts (GitHub's notebook preview): the trace types the
/// kit's charts use (bar, grouped bars, scatter as lines and/or markers, heatmap, image) with title, axis titles, tick
/// labels, gridlines and a legend, in plotly.js's default look. Deterministic text (no ids, no font metrics, coordinates
/// rounded to 0.1 px), so an unchanged chart gives an unchanged file. A trace type it does not draw is named in the plot
/// area instead of being left out silently.
/// </summary>
public static class ChartSvg
{
    public static string Render(GenericChart chart) => Render(PlotlyFigure.ToJson(chart));

    public static string Render(JsonObject figure)
    {
        var layout = figure["layout"] as JsonObject ?? new JsonObject();
        var traces = (figure["data"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var width = Size(layout["width"], 700);
        var height = Size(layout["height"], 450);
        var style = new ChartStyle(layout);
        var canvas = new SvgCanvas(width, height);
        canvas.Rect("background", 0, 0, width, height, style.Paper);

        var raster = traces.FirstOrDefault(t => TypeOf(t) is "heatmap" or "image");
        IPlot plot = raster is null ? CartesianPlot.Create(traces, layout, style) : RasterPlot.Create(raster, layout, style);
        var frame = Frame(plot, layout, width, height);
        plot.Draw(canvas, frame);

        if (Title(layout["title"]) is { Length: > 0 } title)
        {
            var x = FigureData.Number(layout["title"]?["x"] ?? layout["template"]?["layout"]?["title"]?["x"]);
            canvas.Text("title", (double.IsNaN(x) ? 0.05 : x) * width, 30, title, 17, style.Font);
        }
        foreach (var other in traces.Select(TypeOf).Where(t => t is not ("bar" or "scatter" or "heatmap" or "image")).Distinct())
            canvas.Text("unsupported", frame.Left + 8, frame.Top + 20, $"(no static drawing for {other} traces; open the interactive chart)", 12, style.Font);
        return canvas.ToString();
    }

    internal static string TypeOf(JsonObject trace) => String(trace["type"]) ?? "scatter";

    static double Size(JsonNode? n, double fallback) => FigureData.Number(n) is var v && v > 0 ? v : fallback;

    /// <summary>The plot area left after the title, tick labels, axis titles and the legend or colour bar.</summary>
    static PlotFrame Frame(IPlot plot, JsonObject layout, double width, double height)
    {
        var xTitle = Title(layout["xaxis"]?["title"]);
        var yTitle = Title(layout["yaxis"]?["title"]);
        var top = Title(layout["title"]) is { Length: > 0 } ? 56.0 : 24.0;
        var left = 14 + plot.YLabelWidth + (string.IsNullOrEmpty(yTitle) ? 0 : 26);
        var right = 24 + plot.RightWidth;
        var bottom = 28 + plot.XLabelHeight(width - left - right) + (string.IsNullOrEmpty(xTitle) ? 0 : 26);
        return new PlotFrame(left, top, Math.Max(40, width - left - right), Math.Max(40, height - top - bottom), xTitle, yTitle, height);
    }
}

/// <summary>The plot area (pixels) and the axis titles to draw around it.</summary>
internal sealed record PlotFrame(double Left, double Top, double Width, double Height, string? XTitle, string? YTitle, double ChartHeight)
{
    public double Right => Left + Width;
    public double Bottom => Top + Height;
}

/// <summary>A data range mapped onto a pixel range (either may run backwards).</summary>
internal readonly record struct Scale(double D0, double D1, double P0, double P1)
{
    public double Map(double v) => P0 + (v - D0) / (D1 - D0) * (P1 - P0);
}

/// <summary>The look of plotly.js's default template (Plotly.NET writes it into every figure), read from the layout.</summary>
internal sealed class ChartStyle(JsonObject layout)
{
    readonly JsonNode? _template = layout["template"]?["layout"];
    string Color(string key, string fallback) =>
        (ChartColors.Parse(String(layout[key])) ?? ChartColors.Parse(String(_template?[key])) ?? ChartColors.Parse(fallback))!.Value.Hex;

    public string Paper => Color("paper_bgcolor", "#ffffff");
    public string PlotBackground => Color("plot_bgcolor", "#ffffff");
    public string Font => (ChartColors.Parse(String(layout["font"]?["color"])) ?? ChartColors.Parse(String(_template?["font"]?["color"])) ?? ChartColors.Parse("#444444"))!.Value.Hex;
    public string Grid => (ChartColors.Parse(String(_template?["xaxis"]?["gridcolor"])) ?? ChartColors.Parse("#eeeeee"))!.Value.Hex;
    public IReadOnlyList<Rgba> Colorway { get; } = ChartColors.Colorway(layout);

    /// <summary>Draws the axis titles of a frame.</summary>
    public void AxisTitles(SvgCanvas c, PlotFrame f)
    {
        if (!string.IsNullOrEmpty(f.XTitle)) c.Text("xtitle", f.Left + f.Width / 2, f.ChartHeight - 12, f.XTitle, 14, Font, "middle");
        if (!string.IsNullOrEmpty(f.YTitle)) c.Text("ytitle", 18, f.Top + f.Height / 2, f.YTitle, 14, Font, "middle", -90);
    }

    /// <summary>Horizontal gridlines and labels of a linear y axis.</summary>
    public void YAxis(SvgCanvas c, PlotFrame f, Scale y, IReadOnlyList<(double Value, string Label)> ticks, bool grid = true)
    {
        foreach (var (v, label) in ticks)
        {
            var py = y.Map(v);
            if (grid) c.Line("ygrid", f.Left, py, f.Right, py, Grid);
            c.Text("ytick", f.Left - 6, py + 4, label, 12, Font, "end");
        }
    }

    /// <summary>Vertical gridlines and labels of a linear x axis.</summary>
    public void XAxis(SvgCanvas c, PlotFrame f, Scale x, IReadOnlyList<(double Value, string Label)> ticks, bool grid = true)
    {
        foreach (var (v, label) in ticks)
        {
            var px = x.Map(v);
            if (grid) c.Line("xgrid", px, f.Top, px, f.Bottom, Grid);
            c.Text("xtick", px, f.Bottom + 18, label, 12, Font, "middle");
        }
    }
}

/// <summary>A kind of plot: the room its labels need, then the drawing inside a frame.</summary>
internal interface IPlot
{
    double YLabelWidth { get; }
    double RightWidth { get; }
    double XLabelHeight(double plotWidth);
    void Draw(SvgCanvas canvas, PlotFrame frame);
}
