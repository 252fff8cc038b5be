using System.Text.RegularExpressions;
using Repro.Notebooks;
using Repro.Reporting;
using static Repro.Tests.Notebooks.NotebookKit;

namespace Repro.Tests.Notebooks;

[Collection(NotebookCollection.Name)]
public class NotebookReportTests
{
    static int Count(string haystack, string needle) => Regex.Matches(haystack, Regex.Escape(needle)).Count;

    [Fact]
    public async Task ReportHasMarkdownOutputsAndPlotlyJsOnce()
    {
        var dir = TestPaths.TempDir("nbreport");
        var outDir = Path.Combine(dir, "executed");
        var chart = LineChart("new double[] { 1, 2 }", "new double[] { 3, 4 }");
        var a = Write(dir, "01-first.ipynb",
            Md("# First lesson\n\nUses `x.Display()` and **bold** text.\n\n- one\n- two\n\n<script>alert(1)</script>"),
            Code("#r \"nuget: Plotly.NET\"\nConsole.WriteLine(\"printed <text>\");"),
            Code(chart),
            Code(chart));
        var b = Write(dir, "02-second.ipynb",
            Md("## Second\n\n| a | b |\n|---|---|\n| 1 | 2 |"),
            Code("#r \"nuget: Plotly.NET\"\n" + chart),
            Code("throw new Exception(\"stop here\");"),
            Code("1"));
        var ra = await NotebookRunner.RunAsync(a, new RunOptions { OutputDirectory = outDir });
        var rb = await NotebookRunner.RunAsync(b, new RunOptions { OutputDirectory = outDir });
        Assert.True(ra.Succeeded, Describe(ra));
        Assert.False(rb.Succeeded);

        var html = NotebookReport.Build([ra.OutputPath!, rb.OutputPath!]);
        var sample = PlotlyJs.Source.Substring(PlotlyJs.Source.Length / 3, 200);
        Assert.Equal(1, Count(html, sample)); // three charts from two notebooks, one library
        var head = html[..html.IndexOf("</head>", StringComparison.Ordinal)];
        var body = html[head.Length..];
        Assert.Equal(3, Count(body, "Plotly.newPlot(")); // drawn from each output's figure
        Assert.Contains("Plotly.newPlot(\"chart-3\"", body);
        Assert.DoesNotContain(sample, body);
        Assert.Contains(sample, head);
        Assert.Contains("<h1>First lesson</h1>", html);
        Assert.Contains("<code>x.Display()</code>", html);
        Assert.Contains("<strong>bold</strong>", html);
        Assert.Contains("<li>one</li>", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html); // raw HTML in markdown is text
        Assert.Contains("<th>a</th><th>b</th>", html);
        Assert.Contains("printed &lt;text&gt;", html);
        Assert.Contains("stop here", html);
        Assert.Contains("This notebook failed at cell 3", html);
        Assert.Contains("01-first.ipynb", html);
        Assert.Contains("href=\"#nb-2\"", html);
    }

    [Fact]
    public void MarkdownLiteRendersTheBasics()
    {
        var html = MarkdownLite.ToHtml("# T\n\npara with `a < b` and [link](https://example.org) and *it*\nsecond line\n\n```csharp\nvar x = 1 < 2;\n```\n\n1. first\n2. second\n\n> quoted");
        Assert.Contains("<h1>T</h1>", html);
        Assert.Contains("<p>para with <code>a &lt; b</code> and <a href=\"https://example.org\">link</a> and <em>it</em> second line</p>", html);
        Assert.Contains("<pre><code>var x = 1 &lt; 2;</code></pre>", html);
        Assert.Contains("<ol>\n<li>first</li>\n<li>second</li>\n</ol>", html);
        Assert.Contains("<blockquote><p>quoted</p>\n</blockquote>", html);
        Assert.DoesNotContain("javascript:", MarkdownLite.ToHtml("[x](javascript:alert(1))").Replace("[x](javascript:alert(1))", ""));
    }
}
