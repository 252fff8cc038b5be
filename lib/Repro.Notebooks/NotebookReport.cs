using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Repro.Reporting;

namespace Repro.Notebooks;

/// <summary>
/// One static, self-contained HTML page from executed notebooks: for each notebook its Markdown (rendered by
/// <see cref="MarkdownLite"/>), its code (folded) and its outputs (charts drawn interactively from their plotly.js figure,
/// HTML as is, text preformatted, images inline, errors marked), with plotly.js inlined once in the page head. Works
/// offline.
/// </summary>
public static class NotebookReport
{
    /// <summary>Builds the page from executed .ipynb files, in the given order.</summary>
    public static string Build(IEnumerable<string> executedNotebookPaths) => Build(executedNotebookPaths, "Repro notebooks");

    public static string Build(IEnumerable<string> executedNotebookPaths, string title)
    {
        var notebooks = executedNotebookPaths.Select(p => (Path: Path.GetFullPath(p), Notebook: Notebook.Load(p))).ToList();
        var page = new HtmlPage(title).Style(Css);
        if (notebooks.Count > 1)
        {
            var toc = new StringBuilder("<nav class=\"toc\"><ul>\n");
            for (var i = 0; i < notebooks.Count; i++)
                toc.Append($"<li><a href=\"#nb-{i + 1}\">{WebUtility.HtmlEncode(Path.GetFileName(notebooks[i].Path))}</a>{StatusBadge(notebooks[i].Notebook)}</li>\n");
            page.Raw(toc.Append("</ul></nav>").ToString());
        }
        var charts = 0;
        for (var i = 0; i < notebooks.Count; i++)
        {
            var (path, nb) = notebooks[i];
            var sb = new StringBuilder();
            sb.Append($"<section class=\"notebook\" id=\"nb-{i + 1}\">\n");
            sb.Append($"<h2 class=\"notebook-title\">{WebUtility.HtmlEncode(Path.GetFileName(path))}{StatusBadge(nb)}</h2>\n");
            if (nb.Metadata["repro"] is JsonObject run && run["succeeded"] is JsonValue ok && ok.TryGetValue<bool>(out var succeeded) && !succeeded)
                sb.Append($"<p class=\"failed\">This notebook failed at cell {run["failed_cell"]?.ToJsonString() ?? "?"}; later cells were not run.</p>\n");
            for (var c = 0; c < nb.Cells.Count; c++)
            {
                var cell = nb.Cells[c];
                if (cell.IsMarkdown) { sb.Append("<div class=\"md\">").Append(MarkdownLite.ToHtml(cell.Source)).Append("</div>\n"); continue; }
                if (!cell.IsCode) continue;
                if (cell.Source.Trim().Length > 0)
                    sb.Append($"<details class=\"code\"><summary>cell {c + 1}{(cell.ExecutionCount is { } n ? $" [{n}]" : " (not run)")}</summary>")
                      .Append("<pre><code>").Append(WebUtility.HtmlEncode(cell.Source)).Append("</code></pre></details>\n");
                foreach (var o in cell.Outputs)
                    sb.Append("<div class=\"output\">").Append(Output(o, ref charts)).Append("</div>\n");
            }
            sb.Append("</section>");
            page.Raw(sb.ToString());
        }
        if (charts > 0) page.UsePlotly();
        return page.ToString();
    }

    static string StatusBadge(Notebook nb) =>
        nb.Metadata["repro"] is JsonObject run && run["succeeded"] is JsonValue v && v.TryGetValue<bool>(out var ok)
            ? ok ? "" : " <span class=\"badge-failed\">failed</span>"
            : "";

    static string Output(NotebookOutput o, ref int charts) => o switch
    {
        StreamOutput s => $"<pre class=\"stream {WebUtility.HtmlEncode(s.Name)}\">{WebUtility.HtmlEncode(s.Text)}</pre>",
        ErrorOutput e => $"<pre class=\"error\">{WebUtility.HtmlEncode($"{e.EName}: {e.EValue}\n" + string.Join("\n", e.Traceback))}</pre>",
        DisplayDataOutput { Data: var data } when data.GetNode(PlotlyFigure.MimeType) is JsonObject figure =>
            PlotlyJs.Fragment(figure, $"chart-{++charts}"),
        DisplayDataOutput d => Bundle(d.Data),
        _ => "",
    };

    static string Bundle(MimeBundle data)
    {
        if (data[MimeBundle.Html] is { } html) return html;
        if (data["image/svg+xml"] is { } svg) return svg;
        foreach (var img in new[] { "image/png", "image/jpeg", "image/gif" })
            if (data[img] is { } b64) return $"<img src=\"data:{img};base64,{b64.Replace("\n", "")}\" alt=\"\">";
        if (data[MimeBundle.Markdown] is { } md) return MarkdownLite.ToHtml(md);
        if (data[MimeBundle.PlainText] is { } text) return $"<pre>{WebUtility.HtmlEncode(text)}</pre>";
        return "";
    }

    const string Css =
        ".toc ul{list-style:none;padding-left:0}.notebook{border-top:2px solid #ddd;margin-top:2em;padding-top:1em}" +
        ".notebook-title{font-family:monospace}details.code summary{color:#888;font-size:.85em;cursor:pointer}" +
        "details.code pre{margin-top:.3em}.output{margin:.5em 0}.output pre{margin:.3em 0}pre.stderr{background:#fff4e5}" +
        "pre.error{background:#fdecea;color:#8a1c1c}.failed{color:#8a1c1c;font-weight:bold}" +
        ".badge-failed{background:#8a1c1c;color:#fff;border-radius:3px;padding:0 .4em;font-size:.7em;vertical-align:middle}" +
        ".repro-dataframe table,.repro-sequence table{font-size:.9em}";
}
