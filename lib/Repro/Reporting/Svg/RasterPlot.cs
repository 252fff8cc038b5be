using System.Text.Json.Nodes;
using static Repro.Reporting.Svg.FigureData;

namespace Repro.Reporting.Svg;

/// <summary>
/// A heatmap (z rows x columns on a colorscale, row 0 at the bottom, with a colour bar) or an image (z rows x columns of
/// [r, g, b(, a)] in 0..255, row 0 at the top, square pixels), as one embedded PNG with one pixel per cell, under vector
/// axes.
/// </summary>
internal sealed class RasterPlot : IPlot
{
    const double TickFont = 12;
    readonly JsonObject _trace;
    readonly ChartStyle _style;
    readonly bool _image;
    readonly int _rows, _cols;
    readonly double[][] _z = [];
    readonly (double Min, double Max) _range;
    readonly IReadOnlyList<(double At, Rgba Color)> _scale = [];

    RasterPlot(JsonObject trace, JsonObject layout, ChartStyle style)
    {
        _trace = trace;
        _style = style;
        _image = ChartSvg.TypeOf(trace) == "image";
        var z = trace["z"] as JsonArray ?? [];
        _rows = z.Count;
        _cols = z.Select(r => (r as JsonArray)?.Count ?? 0).DefaultIfEmpty(0).Max();
        if (_image) return;
        _z = Matrix(z);
        var values = _z.SelectMany(r => r).Where(double.IsFinite).DefaultIfEmpty(0).ToList();
        var (zmin, zmax) = (Number(trace["zmin"]), Number(trace["zmax"]));
        _range = (double.IsFinite(zmin) ? zmin : values.Min(), double.IsFinite(zmax) ? zmax : values.Max());
        if (_range.Max <= _range.Min) _range = (_range.Min, _range.Min + 1);
        _scale = ChartColors.Colorscale(trace, layout, "heatmap");
    }

    public static RasterPlot Create(JsonObject trace, JsonObject layout, ChartStyle style) => new(trace, layout, style);

    IReadOnlyList<(double Value, string Label)> AxisTicks(string key, int count, double pixels)
    {
        var labels = Array(_trace, key);
        var indices = count <= 20
            ? Enumerable.Range(0, count).Select(i => (double)i).ToList()
            : Ticks.Nice(0, count - 1, Math.Max(2, (int)(pixels / 70)), integer: true).Select(t => t.Value).ToList();
        return indices.Select(i => (i, labels.Count == count ? Label(labels[(int)i]) : ((int)i).ToString())).ToList();
    }

    public double YLabelWidth => AxisTicks("y", _rows, 300).Select(t => SvgCanvas.TextWidth(t.Label, TickFont)).DefaultIfEmpty(0).Max();
    public double RightWidth => _image ? 0 : 24 + Ticks.Nice(_range.Min, _range.Max, 5).Max(t => SvgCanvas.TextWidth(t.Label, TickFont));
    public double XLabelHeight(double plotWidth) => 0;

    public void Draw(SvgCanvas c, PlotFrame f)
    {
        if (_rows == 0 || _cols == 0) return;
        var area = f;
        if (_image)
        {
            // square pixels: the image keeps its aspect inside the frame, centred horizontally, at the top
            var scale = Math.Min(f.Width / _cols, f.Height / _rows);
            area = f with { Left = f.Left + (f.Width - _cols * scale) / 2, Width = _cols * scale, Height = _rows * scale };
        }
        else c.Rect("plot", f.Left, f.Top, f.Width, f.Height, _style.PlotBackground);

        var x = new Scale(-0.5, _cols - 0.5, area.Left, area.Right);
        var y = _image ? new Scale(-0.5, _rows - 0.5, area.Top, area.Bottom) : new Scale(-0.5, _rows - 0.5, area.Bottom, area.Top);
        byte[] png = _image
            ? RasterPng.Encode(_cols, _rows, (r, col) => Pixel(r, col))
            : RasterPng.Encode(_cols, _rows, (r, col) => Cell(_rows - 1 - r, col));
        c.Image(_image ? "image" : "heatmap", area.Left, area.Top, area.Width, area.Height, png);
        _style.XAxis(c, area, x, AxisTicks("x", _cols, area.Width), grid: false);
        _style.YAxis(c, area, y, AxisTicks("y", _rows, area.Height), grid: false);
        _style.AxisTitles(c, f);
        if (!_image) ColorBar(c, f);
    }

    Rgba Cell(int row, int col)
    {
        var v = col < _z[row].Length ? _z[row][col] : double.NaN;
        return double.IsFinite(v) ? ChartColors.At(_scale, (v - _range.Min) / (_range.Max - _range.Min)) : new Rgba(0, 0, 0, 0);
    }

    Rgba Pixel(int row, int col)
    {
        var p = (_trace["z"]![row] as JsonArray)?.ElementAtOrDefault(col) as JsonArray;
        double Ch(int i) => p is not null && i < p.Count && double.IsFinite(Number(p[i])) ? Math.Clamp(Number(p[i]), 0, 255) : 0;
        return p is null ? new Rgba(0, 0, 0, 0) : new Rgba((byte)Ch(0), (byte)Ch(1), (byte)Ch(2), p.Count > 3 ? Ch(3) / 255 : 1);
    }

    void ColorBar(SvgCanvas c, PlotFrame f)
    {
        const int Steps = 64;
        var x = f.Right + 12;
        c.Image("colorbar", x, f.Top, 14, f.Height, RasterPng.Encode(1, Steps, (r, _) => ChartColors.At(_scale, 1 - (double)r / (Steps - 1))));
        var bar = new Scale(_range.Min, _range.Max, f.Bottom, f.Top);
        foreach (var (v, label) in Ticks.Nice(_range.Min, _range.Max, 5))
            c.Text("colorbar-tick", x + 20, bar.Map(v) + 4, label, TickFont, _style.Font);
    }
}
