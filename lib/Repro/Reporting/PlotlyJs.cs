using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Plotly.NET;

namespace Repro.Reporting;

/// <summary>
/// plotly.js as shipped inside the Plotly.NET assembly, so pages and notebooks render charts offline:
/// the library is inlined once per page instead of being fetched from a CDN.
/// </summary>
public static class PlotlyJs
{
    static readonly Lazy<(string Name, string Source)> Resource = new(() =>
    {
        var asm = typeof(GenericChart).Assembly;
        var name = asm.GetManifestResourceNames().Single(n => n.StartsWith("Plotly.NET.plotly-") && n.EndsWith(".min.js"));
        using var s = asm.GetManifestResourceStream(name)!;
        using var r = new StreamReader(s);
        return (name, r.ReadToEnd());
    });

    /// <summary>The minified plotly.js source.</summary>
    public static string Source => Resource.Value.Source;

    /// <summary>The plotly.js version, e.g. "2.28.0".</summary>
    public static string Version => Resource.Value.Name["Plotly.NET.plotly-".Length..^".min.js".Length];

    /// <summary>A script element that defines the global Plotly object.</summary>
    public static string ScriptTag => $"<script type=\"text/javascript\">/* plotly.js {Version} */\n{Source}\n</script>";

    /// <summary>A chart as an HTML fragment (a div and the script that draws it), which needs <see cref="ScriptTag"/> earlier on the page.</summary>
    public static string Fragment(GenericChart chart) => GenericChart.toChartHTML(chart);

    /// <summary>A plotly.js figure (<see cref="PlotlyFigure"/>) as a div with the given id and the script that draws it,
    /// which needs <see cref="ScriptTag"/> earlier on the page.</summary>
    public static string Fragment(JsonObject figure, string id)
    {
        // System.Text.Json escapes <, > and & in strings, so the figure cannot close the script element.
        string Part(string key) => figure[key]?.ToJsonString() ?? "{}";
        var js = JsonSerializer.Serialize(id);
        return $"<div id=\"{WebUtility.HtmlEncode(id)}\" class=\"repro-chart\"></div>\n" +
               $"<script type=\"text/javascript\">Plotly.newPlot({js}, {Part("data")}, {Part("layout")}, {{\"responsive\": true}});</script>";
    }
}
