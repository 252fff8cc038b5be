using System.Net;
using System.Text;
using Plotly.NET;

namespace Repro.Reporting;

/// <summary>A self-contained static HTML page: headings, paragraphs, tables and charts, with plotly.js inlined once.</summary>
public sealed class HtmlPage
{
    readonly string _title;
    readonly StringBuilder _body = new();
    readonly StringBuilder _css = new();
    bool _hasCharts;

    public HtmlPage(string title) => _title = title;

    public HtmlPage Heading(string text, int level = 2) { _body.Append($"<h{level}>{WebUtility.HtmlEncode(text)}</h{level}>\n"); return this; }
    public HtmlPage Paragraph(string text) { _body.Append($"<p>{WebUtility.HtmlEncode(text)}</p>\n"); return this; }
    public HtmlPage Preformatted(string text) { _body.Append($"<pre>{WebUtility.HtmlEncode(text)}</pre>\n"); return this; }
    /// <summary>Appends trusted HTML as is.</summary>
    public HtmlPage Raw(string html) { _body.Append(html).Append('\n'); return this; }
    public HtmlPage Chart(GenericChart chart) { _hasCharts = true; _body.Append(PlotlyJs.Fragment(chart)).Append('\n'); return this; }
    /// <summary>Inlines plotly.js in the page head even without a <see cref="Chart"/> call, for chart fragments added
    /// with <see cref="Raw"/> (e.g. notebook outputs).</summary>
    public HtmlPage UsePlotly() { _hasCharts = true; return this; }
    /// <summary>Appends CSS rules to the page's style element.</summary>
    public HtmlPage Style(string css) { _css.Append(css).Append('\n'); return this; }

    public HtmlPage Table(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        _body.Append("<table>\n<thead><tr>");
        foreach (var h in header) _body.Append($"<th>{WebUtility.HtmlEncode(h)}</th>");
        _body.Append("</tr></thead>\n<tbody>\n");
        foreach (var r in rows)
        {
            _body.Append("<tr>");
            foreach (var c in r) _body.Append($"<td>{WebUtility.HtmlEncode(c)}</td>");
            _body.Append("</tr>\n");
        }
        _body.Append("</tbody>\n</table>\n");
        return this;
    }

    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        sb.Append($"<title>{WebUtility.HtmlEncode(_title)}</title>\n");
        sb.Append("<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em}" +
                  "table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;padding:4px 8px;text-align:right}" +
                  "th:first-child,td:first-child{text-align:left}pre{background:#f6f6f6;padding:1em;overflow:auto}" +
                  _css + "</style>\n");
        if (_hasCharts) sb.Append(PlotlyJs.ScriptTag).Append('\n');
        sb.Append("</head>\n<body>\n");
        sb.Append($"<h1>{WebUtility.HtmlEncode(_title)}</h1>\n");
        sb.Append(_body);
        sb.Append("</body>\n</html>\n");
        return sb.ToString();
    }
}
