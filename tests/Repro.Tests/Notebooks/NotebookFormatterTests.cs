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
    static int Count(string haystack, string needle) => Regex.Matches(haystack, Regex.Escape(needle)).Count;

    static NotebookCell[] ThreeCharts() =>
    [
        Code("#r \"nuget: Plotly.NET\"\nusing Plotly.NET;"),
        Code(LineChart("new double[] { 1, 2, 3 }", "new double[] { 2, 4, 8 }")),
        Md("text between charts"),
        Code($"display({LineChart("new double[] { 1, 2 }", "new double[] { 5, 6 }")});\n{LineChart("new double[] { 3, 4 }", "new double[] { 1, 0 }")}.Display();"),
    ];

    [Fact]
    public async Task ChartsCarryTheirFigureAndAStaticSvgAndNoScript()
    {
        var dir = TestPaths.TempDir("nbcharts");
        var r = await NotebookRunner.RunAsync(Write(dir, "charts.ipynb", ThreeCharts()), new RunOptions { OutputDirectory = Path.Combine(dir, "out") });
        Assert.True(r.Succeeded, Describe(r));
        var charts = r.Cells.SelectMany(c => c.Outputs).OfType<DisplayDataOutput>().ToList();
        Assert.Equal(3, charts.Count);
        Assert.All(charts, d => Assert.Equal(
            [PlotlyFigure.MimeType, PlotlyChartFormatter.SvgMimeType, MimeBundle.PlainText], d.Data.MimeTypes.Order(StringComparer.Ordinal)));
        // the figure is the chart's data, as a JSON value (not a string)
        var figure = Assert.IsType<System.Text.Json.Nodes.JsonObject>(charts[0].Data.GetNode(PlotlyFigure.MimeType), exactMatch: false);
        Assert.Equal([2.0, 4.0, 8.0], figure["data"]![0]!["y"]!.AsArray().Select(v => v!.GetValue<double>()));
        // the SVG draws the same line: one path through three points
        var svg = System.Xml.Linq.XDocument.Parse(charts[0].Data[PlotlyChartFormatter.SvgMimeType]!);
        var line = Assert.Single(svg.Descendants(), e => (string?)e.Attribute("class") == "line");
        Assert.Equal(3, Regex.Matches((string)line.Attribute("d")!, "[ML]").Count);
        // no plotly.js and no script anywhere: the executed notebook stays small
        var file = File.ReadAllText(r.OutputPath!);
        Assert.DoesNotContain("<script", file);
        Assert.True(file.Length < 60_000, $"{file.Length} characters");
    }

    [Fact]
    public async Task DataFrameBecomesAnHtmlTableWithRowCount()
    {
        var r = await Run(
            Code("#r \"nuget: Microsoft.Data.Analysis\"\nusing Microsoft.Data.Analysis;"),
            Code("var df = new DataFrame(new PrimitiveDataFrameColumn<int>(\"epoch\", Enumerable.Range(1, 70)),\n" +
                 "  new DoubleDataFrameColumn(\"accuracy\", Enumerable.Range(1, 70).Select(i => i / 100.0)),\n" +
                 "  new StringDataFrameColumn(\"method\", Enumerable.Range(1, 70).Select(i => i % 2 == 0 ? \"mla\" : \"dgl<x>\")));\ndf"));
        Assert.True(r.Succeeded, Describe(r));
        var result = Result(r.Cells[1])!;
        var html = result.Data[MimeBundle.Html]!;
        Assert.Contains("<table>", html);
        Assert.Contains("<th>epoch</th><th>accuracy</th><th>method</th>", html);
        Assert.Equal(60 + 1, Count(html, "<tr>")); // header + the first 60 rows
        Assert.Contains("70 rows (first 60 shown) × 3 columns", System.Net.WebUtility.HtmlDecode(html));
        Assert.Contains("dgl&lt;x&gt;", html);
        Assert.DoesNotContain("dgl<x>", html);
        var text = result.Data[MimeBundle.PlainText]!;
        Assert.Contains("epoch", text);
        Assert.Contains("70 rows", text);
    }

    [Fact]
    public void ACompleteDataFrameHasNoLineUnderIt()
    {
        var df = new DataFrame(new PrimitiveDataFrameColumn<int>("a", [1, 2]), new StringDataFrameColumn("b", ["x", "y"]));
        var f = Formatter.Format(df);
        Assert.Contains("<td>y</td>", f.Data[MimeBundle.Html]);
        Assert.DoesNotContain("rows", f.Data[MimeBundle.Html]);
        Assert.DoesNotContain("<p>", f.Data[MimeBundle.Html]);
        Assert.DoesNotContain("rows", f.Data[MimeBundle.PlainText]);
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
        var rows = Enumerable.Range(0, 100).Select(i => new Run3(i % 2 == 0 ? "mla" : "dgl", i / 100.0, i));
        var f = Formatter.Format(rows);
        var html = f.Data[MimeBundle.Html]!;
        Assert.Contains("<th>Method</th><th>Accuracy</th><th>Seed</th>", html);
        Assert.DoesNotContain("EqualityContract", html);
        Assert.Contains("more than 60 items (first 60 shown)", html);
        Assert.Contains("Run3 { Method = mla", f.Data[MimeBundle.PlainText]);

        var list = Formatter.Format(Enumerable.Range(0, 60).Select(i => new Run3("a", 0.5, i)).ToList());
        Assert.DoesNotContain("item", list.Data[MimeBundle.Html]); // all shown: no count under the table

        // an anonymous array shows its table and nothing else (no "3 items")
        var anon = Formatter.Format(new[] { new { Name = "x", Value = 1 }, new { Name = "y", Value = 2 }, new { Name = "z", Value = 3 } });
        Assert.Contains("<th>Name</th><th>Value</th>", anon.Data[MimeBundle.Html]);
        Assert.DoesNotContain("items", anon.Data[MimeBundle.Html]);

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
