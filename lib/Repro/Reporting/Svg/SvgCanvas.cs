using System.Globalization;
using System.Net;
using System.Text;

namespace Repro.Reporting.Svg;

/// <summary>
/// Writes SVG elements with coordinates rounded to 0.1 px (invariant culture), so the same chart always gives the same
/// text. Marks carry a class naming what they are (bar, line, marker, xtick...), for tests and for styling.
/// </summary>
internal sealed class SvgCanvas(double width, double height)
{
    public const string FontFamily = "'Open Sans', verdana, arial, sans-serif";
    readonly StringBuilder _body = new();

    public double Width => width;
    public double Height => height;

    public static string N(double v) => Math.Round(v, 1).ToString("0.#", CultureInfo.InvariantCulture);
    static string Esc(string s) => WebUtility.HtmlEncode(s);

    /// <summary>Width of a text in pixels, estimated from its length (no font metrics: deterministic everywhere).</summary>
    public static double TextWidth(string text, double fontSize) => text.Length * fontSize * 0.58;

    public void Rect(string cls, double x, double y, double w, double h, string fill, string? extra = null) =>
        _body.Append($"<rect class=\"{cls}\" x=\"{N(x)}\" y=\"{N(y)}\" width=\"{N(Math.Max(0, w))}\" height=\"{N(Math.Max(0, h))}\" fill=\"{fill}\"{extra}/>\n");

    public void Line(string cls, double x1, double y1, double x2, double y2, string stroke, double width = 1) =>
        _body.Append($"<line class=\"{cls}\" x1=\"{N(x1)}\" y1=\"{N(y1)}\" x2=\"{N(x2)}\" y2=\"{N(y2)}\" stroke=\"{stroke}\" stroke-width=\"{N(width)}\"/>\n");

    /// <summary>A polyline through the points; a NaN point breaks it into separate runs (a gap, as plotly.js draws).</summary>
    public void Path(string cls, IEnumerable<(double X, double Y)> points, string stroke, double width = 2)
    {
        var d = new StringBuilder();
        var pen = false;
        foreach (var (x, y) in points)
        {
            if (double.IsNaN(x) || double.IsNaN(y)) { pen = false; continue; }
            d.Append(pen ? 'L' : 'M').Append(N(x)).Append(',').Append(N(y));
            pen = true;
        }
        if (d.Length > 0)
            _body.Append($"<path class=\"{cls}\" d=\"{d}\" fill=\"none\" stroke=\"{stroke}\" stroke-width=\"{N(width)}\" stroke-linejoin=\"round\"/>\n");
    }

    public void Circle(string cls, double cx, double cy, double r, string fill) =>
        _body.Append($"<circle class=\"{cls}\" cx=\"{N(cx)}\" cy=\"{N(cy)}\" r=\"{N(r)}\" fill=\"{fill}\"/>\n");

    /// <summary>Text; <paramref name="anchor"/> start, middle or end; <paramref name="rotate"/> in degrees about (x, y).</summary>
    public void Text(string cls, double x, double y, string text, double size, string fill, string anchor = "start", double rotate = 0, string? weight = null)
    {
        var transform = rotate == 0 ? "" : $" transform=\"rotate({N(rotate)} {N(x)} {N(y)})\"";
        var bold = weight is null ? "" : $" font-weight=\"{weight}\"";
        _body.Append($"<text class=\"{cls}\" x=\"{N(x)}\" y=\"{N(y)}\" font-size=\"{N(size)}\" fill=\"{fill}\" text-anchor=\"{anchor}\"{bold}{transform}>{Esc(text)}</text>\n");
    }

    /// <summary>A raster (PNG bytes) stretched over a rectangle, pixels kept sharp.</summary>
    public void Image(string cls, double x, double y, double w, double h, byte[] png) =>
        _body.Append($"<image class=\"{cls}\" x=\"{N(x)}\" y=\"{N(y)}\" width=\"{N(w)}\" height=\"{N(h)}\" preserveAspectRatio=\"none\" " +
                     $"style=\"image-rendering:pixelated\" xlink:href=\"data:image/png;base64,{Convert.ToBase64String(png)}\"/>\n");

    public override string ToString() =>
        $"<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"{N(width)}\" height=\"{N(height)}\" " +
        $"viewBox=\"0 0 {N(width)} {N(height)}\" font-family=\"{FontFamily}\">\n" + _body + "</svg>\n";
}
