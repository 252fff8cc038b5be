using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Plotly.NET;
using Repro.Reporting;

namespace Repro.Notebooks.Formatting;

/// <summary>
/// Plotly.NET charts as text/html: the chart fragment of <see cref="PlotlyJs.Fragment"/> (a div and the script that
/// draws it), offline.
/// <para>plotly.js (3.6 MB) is inlined ONCE per notebook: the first chart output carries a
/// <c>&lt;script data-repro-plotlyjs="VERSION"&gt;</c> element with the whole library, which defines the global
/// <c>Plotly</c>; later chart outputs carry only their fragment. Every fragment waits (up to 30 s) for the global
/// <c>Plotly</c> instead of failing when its script runs first, and then says in the chart's place what is missing.
/// This suits viewers that put all outputs of a notebook in one document: VS Code's notebook editor (one webview for
/// the whole notebook, outputs rendered lazily as they scroll into view: hence the wait), JupyterLab and
/// nbconvert/nbviewer HTML, and the kit's own report. A viewer that renders each output in isolation (a separate iframe
/// per output) would show only the first chart: for those, run with
/// <c>RunOptions.EmbedPlotlyInEveryChart</c>, which inlines the library in every chart output. Output metadata records
/// the choice: <c>{"repro": {"plotlyjs": "inline" | "global", "plotlyjs_version": ...}}</c>.</para>
/// </summary>
public static partial class PlotlyChartFormatter
{
    /// <summary>The attribute that marks the script element carrying the library (the report strips these and inlines
    /// the library once in the page head).</summary>
    public const string LibraryMarker = "data-repro-plotlyjs";

    /// <summary>A script element defining the global Plotly, marked with <see cref="LibraryMarker"/>.</summary>
    public static string LibraryScript => $"<script type=\"text/javascript\" {LibraryMarker}=\"{PlotlyJs.Version}\">{PlotlyJs.Source}</script>";

    public static string Html(GenericChart chart, FormatContext context)
    {
        var sb = new StringBuilder();
        var inline = context.EmbedPlotlyInEveryChart || !context.PlotlyJsEmitted;
        if (inline)
        {
            sb.Append(context.EmbedPlotlyInEveryChart
                ? $"<!-- plotly.js {PlotlyJs.Version} is inlined in every chart output of this notebook (RunOptions.EmbedPlotlyInEveryChart) -->\n"
                : $"<!-- plotly.js {PlotlyJs.Version} is inlined once per notebook, in this output; later charts use the global Plotly it defines -->\n");
            sb.Append(LibraryScript).Append('\n');
            context.PlotlyJsEmitted = true;
        }
        else
        {
            sb.Append("<!-- this chart uses the global Plotly defined by this notebook's first chart output (plotly.js is inlined once per notebook) -->\n");
        }
        sb.Append(WaitForPlotly(PlotlyJs.Fragment(chart)));
        context.OutputMetadata["repro"] = new JsonObject
        {
            ["plotlyjs"] = inline ? "inline" : "global",
            ["plotlyjs_version"] = PlotlyJs.Version,
        };
        return sb.ToString();
    }

    /// <summary>
    /// Replaces the fragment's immediate call of its render function by one that waits for the global Plotly
    /// (polling every 50 ms, up to 30 s), then explains in the chart's div why nothing is drawn. A fragment of
    /// another shape is returned unchanged.
    /// </summary>
    internal static string WaitForPlotly(string fragment)
    {
        var id = DivId().Match(fragment);
        var call = RenderCall().Match(fragment);
        if (!id.Success || !call.Success) return fragment;
        var fn = call.Groups["fn"].Value;
        var wait =
            $"(function(render,id){{var n=0;(function wait(){{if(typeof Plotly!=='undefined'){{render();}}" +
            "else if(++n<600){setTimeout(wait,50);}" +
            "else{var e=document.getElementById(id);if(e){e.textContent='This chart needs plotly.js, which this notebook " +
            "carries once, in its first chart output: show that output, or run the notebook with the option that embeds " +
            "plotly.js in every chart (RunOptions.EmbedPlotlyInEveryChart).';}}})();})" +
            $"({fn},'{id.Groups["id"].Value}');";
        return fragment[..call.Index] + "\n" + wait + fragment[(call.Index + call.Length)..];
    }

    [GeneratedRegex("<div id=\"(?<id>[^\"]+)\"")]
    private static partial Regex DivId();

    [GeneratedRegex(@"\n(?<fn>renderPlotly_[A-Za-z0-9_]+)\(\);")]
    private static partial Regex RenderCall();
}
