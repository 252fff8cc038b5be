using System.Text.Json.Nodes;
using Plotly.NET;
using Repro.Reporting;
using Repro.Reporting.Svg;

namespace Repro.Notebooks.Formatting;

/// <summary>
/// Plotly.NET charts as one output carrying two forms of the same figure, and no script:
/// <list type="bullet">
/// <item><c>application/vnd.plotly.v1+json</c>: the plotly.js figure (<see cref="PlotlyFigure"/>), drawn interactively
/// by the viewers that ship a renderer for it (VS Code's notebook renderers, which prefer <c>application/vnd.*</c> types
/// to every other form; JupyterLab with plotly's extension);</item>
/// <item><c>image/svg+xml</c>: a static drawing (<see cref="ChartSvg"/>), which viewers that run no scripts show
/// (GitHub's notebook preview, nbviewer, nbconvert's HTML) and which any other viewer falls back to;</item>
/// <item><c>text/plain</c>: the title and what the chart holds.</item>
/// </list>
/// plotly.js itself (3.6 MB) is never written into a notebook: the kit's report (<see cref="NotebookReport"/>) draws
/// the figures with plotly.js inlined once per page.
/// </summary>
public static class PlotlyChartFormatter
{
    public const string SvgMimeType = "image/svg+xml";

    public static string FigureJson(GenericChart chart) => PlotlyFigure.ToJson(chart).ToJsonString();

    public static string Svg(GenericChart chart) => ChartSvg.Render(chart);

    /// <summary>"Title (chart: 2 bar series, 1 line)".</summary>
    public static string Text(GenericChart chart)
    {
        var figure = PlotlyFigure.ToJson(chart);
        var title = PlotlyFigure.TitleText(figure["layout"]?["title"]);
        var kinds = (figure["data"] as JsonArray ?? []).GroupBy(t => t?["type"]?.GetValue<string>() ?? "scatter")
            .Select(g => g.Key switch
            {
                "bar" => Count(g.Count(), "bar series", "bar series"),
                "scatter" => Count(g.Count(), "line", "lines"),
                var k => Count(g.Count(), k, k + "s"),
            });
        return $"{title ?? "Chart"} (chart: {string.Join(", ", kinds)})";
    }

    static string Count(int n, string one, string many) => $"{n} {(n == 1 ? one : many)}";
}
