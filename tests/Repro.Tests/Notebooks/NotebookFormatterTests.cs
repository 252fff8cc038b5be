using System.Text.RegularExpressions;
using Microsoft.Data.Analysis;
using Repro.Native;
using Repro.Notebooks;
using Repro.Notebooks.Formatting;
using Repro.Reporting;
using static Repro.Tests.Notebooks.NotebookKit;

namespace Repro.Tests.Notebooks;

[Collection(NotebookCollection.Name)]
public class NotebookFormatterTests
{
    /// <summary>A stretch of the minified library that appears once per copy of plotly.js.</summary>
    static string LibrarySample => PlotlyJs.Source.Substring(PlotlyJs.Source.Length / 2, 200);

    static int Count(string haystack, string needle) => Regex.Matches(haystack, Regex.Escape(needle)).Count;

    static NotebookCell[] ThreeCharts() =>
    [
        Code("#r \"nuget: Plotly.NET\"\nusing Plotly.NET;"),
        Code(LineChart("new double[] { 1, 2, 3 }", "new double[] { 2, 4, 8 }")),
        Md("text between charts"),
        Code($"display({LineChart("new double[] { 1, 2 }", "new double[] { 5, 6 }")});\n{LineChart("new double[] { 3, 4 }", "new double[] { 1, 0 }")}.Display();"),
    ];

    static List<string> HtmlOutputs(NotebookRunResult r) =>
        r.Cells.SelectMany(c => c.Outputs).OfType<DisplayDataOutput>().Select(d => d.Data[MimeBundle.Html]).OfType<string>().ToList();

    [Fact]
    public async Task ChartsCarryPlotlyJsOncePerNotebook()
    {
        var r = await Run(ThreeCharts());
        Assert.True(r.Succeeded, Describe(r));
        var html = HtmlOutputs(r);
        Assert.Equal(3, html.Count);
        Assert.All(html, h => Assert.Contains("Plotly.newPlot", h));
        Assert.Equal(1, html.Sum(h => Count(h, LibrarySample)));
        Assert.Contains(LibrarySample, html[0]); // the first chart carries it
        Assert.Contains(PlotlyChartFormatter.LibraryMarker, html[0]);
        Assert.DoesNotContain(PlotlyChartFormatter.LibraryMarker, html[1]);
        var meta = r.Cells.SelectMany(c => c.Outputs).OfType<DisplayDataOutput>().Select(d => d.Metadata["repro"]?["plotlyjs"]?.GetValue<string>()).ToList();
        Assert.Equal(["inline", "global", "global"], meta);
        // every chart waits for the global Plotly instead of calling it at once
        Assert.All(html, h => Assert.Contains("typeof Plotly!=='undefined'", h));

        // a second run (another notebook) carries the library again, once
        var r2 = await Run(ThreeCharts());
        Assert.Equal(1, HtmlOutputs(r2).Sum(h => Count(h, LibrarySample)));
    }

    [Fact]
    public async Task EmbedPlotlyInEveryChartOption()
    {
        var r = await Run(new RunOptions { EmbedPlotlyInEveryChart = true }, ThreeCharts());
        Assert.True(r.Succeeded, Describe(r));
        var html = HtmlOutputs(r);
        Assert.All(html, h => Assert.Equal(1, Count(h, LibrarySample)));
        Assert.Equal("every-chart", r.Executed.Metadata["repro"]!["plotlyjs"]!.GetValue<string>());
    }

    [Fact]
    public void WaitForPlotlyRewritesTheRenderCall()
    {
        var fragment = PlotlyJs.Fragment(Plotly.NET.Chart2D_Scatter.Chart.Line<double, double, string>(
            [1.0, 2.0], [3.0, 4.0], null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null));
        var rewritten = PlotlyChartFormatter.WaitForPlotly(fragment);
        Assert.NotEqual(fragment, rewritten);
        Assert.DoesNotMatch(@"\nrenderPlotly_[A-Za-z0-9_]+\(\);", rewritten);
        Assert.Matches(@"\}\)\(renderPlotly_[A-Za-z0-9_]+,'[^']+'\);", rewritten);
    }

    [Fact]
    public async Task DataFrameBecomesAnHtmlTableWithRowCount()
    {
        var r = await Run(
            Code("#r \"nuget: Microsoft.Data.Analysis\"\nusing Microsoft.Data.Analysis;"),
            Code("var df = new DataFrame(new PrimitiveDataFrameColumn<int>(\"epoch\", Enumerable.Range(1, 30)),\n" +
                 "  new DoubleDataFrameColumn(\"accuracy\", Enumerable.Range(1, 30).Select(i => i / 100.0)),\n" +
                 "  new StringDataFrameColumn(\"method\", Enumerable.Range(1, 30).Select(i => i % 2 == 0 ? \"mla\" : \"dgl<x>\")));\ndf"));
        Assert.True(r.Succeeded, Describe(r));
        var result = Result(r.Cells[1])!;
        var html = result.Data[MimeBundle.Html]!;
        Assert.Contains("<table>", html);
        Assert.Contains("<th>epoch</th><th>accuracy</th><th>method</th>", html);
        Assert.Equal(25 + 1, Count(html, "<tr>")); // header + the first 25 rows
        Assert.Contains("30 rows (first 25 shown) × 3 columns", System.Net.WebUtility.HtmlDecode(html));
        Assert.Contains("dgl&lt;x&gt;", html);
        Assert.DoesNotContain("dgl<x>", html);
        var text = result.Data[MimeBundle.PlainText]!;
        Assert.Contains("epoch", text);
        Assert.Contains("30 rows", text);
    }

    [Fact]
    public void DataFrameFormatterDirectly()
    {
        var df = new DataFrame(new PrimitiveDataFrameColumn<int>("a", [1, 2]), new StringDataFrameColumn("b", ["x", "y"]));
        var f = Formatter.Format(df);
        Assert.Contains("2 rows × 2 columns", System.Net.WebUtility.HtmlDecode(f.Data[MimeBundle.Html]));
        Assert.Contains("2 rows × 2 columns", f.Data[MimeBundle.PlainText]);
        Assert.Contains("<td>y</td>", f.Data[MimeBundle.Html]);
    }

    [Fact]
    public async Task TensorShowsShapeDtypeAndValues()
    {
        TorchRuntime.EnsureReady();
        var r = await Run(
            Code("#r \"nuget: TorchSharp-cpu\"\nusing static TorchSharp.torch;"),
            Code("arange(6, dtype: ScalarType.Float32).reshape(2, 3)"),
            Code("zeros(100, 100)"));
        Assert.True(r.Succeeded, Describe(r));
        var small = Result(r.Cells[1])!.Data;
        Assert.StartsWith("Tensor shape [2, 3], dtype Float32, device cpu", small[MimeBundle.PlainText]);
        Assert.Contains("5", small[MimeBundle.PlainText]);
        Assert.Contains("shape [2, 3]", small[MimeBundle.Html]);
        var big = Result(r.Cells[2])!.Data[MimeBundle.PlainText]!;
        Assert.StartsWith("Tensor shape [100, 100]", big);
        Assert.Contains("10000 values; first 10", big);
        Assert.Contains("mean 0", big);
        Assert.True(big.Length < 2000, big);
    }

    public sealed record Run3(string Method, double Accuracy, int Seed);

    [Fact]
    public void EnumerableOfRecordsBecomesATableOfProperties()
    {
        var rows = Enumerable.Range(0, 40).Select(i => new Run3(i % 2 == 0 ? "mla" : "dgl", i / 40.0, i));
        var f = Formatter.Format(rows);
        var html = f.Data[MimeBundle.Html]!;
        Assert.Contains("<th>Method</th><th>Accuracy</th><th>Seed</th>", html);
        Assert.DoesNotContain("EqualityContract", html);
        Assert.Contains("more than 25 items (first 25 shown)", html);
        Assert.Contains("Run3 { Method = mla", f.Data[MimeBundle.PlainText]);

        var list = Formatter.Format(new List<Run3> { new("a", 0.5, 1) });
        Assert.Contains("1 item", list.Data[MimeBundle.Html]);

        var anon = Formatter.Format(new[] { new { Name = "x", Value = 1 } });
        Assert.Contains("<th>Name</th><th>Value</th>", anon.Data[MimeBundle.Html]);

        var ints = Formatter.Format(new[] { 3, 4 });
        Assert.Contains("<th>value</th>", ints.Data[MimeBundle.Html]);
        Assert.Contains("[3, 4]", ints.Data[MimeBundle.PlainText]);
    }

    [Fact]
    public void StringsArePlainTextOnly()
    {
        var f = Formatter.Format("just text <b>");
        Assert.Equal([MimeBundle.PlainText], f.Data.MimeTypes);
        Assert.Equal("just text <b>", f.Data[MimeBundle.PlainText]);
    }

    public sealed class Badge(string label)
    {
        public string Label { get; } = label;
    }

    public sealed class SpecialBadge(string label) : BaseBadge(label);
    public class BaseBadge(string label)
    {
        public string Label { get; } = label;
        public override string ToString() => "base " + Label;
    }

    [Fact]
    public void KitCanRegisterFormatters()
    {
        Formatter.Register<Badge>(b => $"<span class=\"badge\">{b.Label}</span>");
        var f = Formatter.Format(new Badge("new"));
        Assert.Equal("<span class=\"badge\">new</span>", f.Data[MimeBundle.Html]);
        Assert.Contains("Badge", f.Data[MimeBundle.PlainText]); // text/plain falls back to ToString()

        // the most specific registration applies; for equal specificity the latest
        Formatter.Register<BaseBadge>(b => "base html");
        Formatter.Register<SpecialBadge>(b => "special html");
        Assert.Equal("special html", Formatter.Format(new SpecialBadge("s")).Data[MimeBundle.Html]);
        Assert.Equal("base html", Formatter.Format(new BaseBadge("b")).Data[MimeBundle.Html]);
        Formatter.Register<BaseBadge>(b => "base html 2");
        Assert.Equal("base html 2", Formatter.Format(new BaseBadge("b")).Data[MimeBundle.Html]);
        Assert.Equal("base b", Formatter.Format(new BaseBadge("b")).Data[MimeBundle.PlainText]);
    }

    [Fact]
    public void FailingFormatterDoesNotThrow()
    {
        Formatter.Register<Failing>(_ => throw new InvalidOperationException("nope"));
        var f = Formatter.Format(new Failing());
        Assert.Contains("failed: InvalidOperationException: nope", f.Data[MimeBundle.Html]);
    }

    public sealed class Failing;
}
