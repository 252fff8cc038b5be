using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Plotly.NET;
using Repro.Experiments;
using Repro.Experiments.Tables;
using Repro.Native;
using Repro.Reporting;
using Repro.Reporting.Svg;
using Repro.Training;
using SkiaSharp;
using static TorchSharp.torch;

namespace Repro.Tests.Reporting;

/// <summary>
/// The static SVG of every chart kind the lessons draw: well-formed, titled, one mark per bar or point, the labels
/// the chart was given, and the same text every time.
/// </summary>
public class ChartSvgTests
{
    /// <summary>The chart functions these tests cover; <see cref="EveryChartTheLessonsDrawIsCovered"/> keeps the list honest.</summary>
    static readonly HashSet<string> Covered = ["Bars", "GroupedBars", "Lines", "Curves", "Scatter", "Heatmap", "Image", "TableReport.Charts"];

    static (string, IReadOnlyList<double>)[] Series(params (string Name, double[] Values)[] series) =>
        series.Select(x => (x.Name, (IReadOnlyList<double>)x.Values)).ToArray();

    static XElement Svg(GenericChart chart)
    {
        var text = ChartSvg.Render(chart);
        Assert.Equal(text, ChartSvg.Render(chart)); // deterministic
        return XDocument.Parse(text).Root!;
    }

    static List<XElement> Class(XElement svg, string cls) => svg.Descendants().Where(e => (string?)e.Attribute("class") == cls).ToList();
    static List<string> Texts(XElement svg, string cls) => Class(svg, cls).Select(e => e.Value).ToList();
    static double A(XElement e, string name) => double.Parse((string)e.Attribute(name)!, CultureInfo.InvariantCulture);

    static void AssertNumericTicks(XElement svg, string cls)
    {
        var values = Texts(svg, cls).Select(t => double.Parse(t, CultureInfo.InvariantCulture)).ToList();
        Assert.True(values.Count >= 3, $"{values.Count} {cls} labels");
        Assert.Equal(values.Order(), values); // increasing in drawing order
    }

    [Fact]
    public void BarsHaveOneBarPerValueTheirLabelsAndTitles()
    {
        var svg = Svg(Charts.Bars(["neutral", "happy", "sad"], [10, 20, 5], "Clips per class", "clips"));
        Assert.Equal(["Clips per class"], Texts(svg, "title"));
        Assert.Equal(["clips"], Texts(svg, "ytitle"));
        Assert.Equal(["neutral", "happy", "sad"], Texts(svg, "xtick"));
        AssertNumericTicks(svg, "ytick");
        var bars = Class(svg, "bar");
        Assert.Equal(3, bars.Count);
        // heights in proportion to the values, all standing on the same baseline
        var h = bars.Select(b => A(b, "height")).ToList();
        Assert.Equal(2.0, h[1] / h[0], 2);
        Assert.Equal(0.5, h[2] / h[0], 2);
        Assert.Single(bars.Select(b => Math.Round(A(b, "y") + A(b, "height"), 1)).Distinct());
        Assert.Empty(Class(svg, "legend-item")); // one series: no legend, as plotly.js
    }

    [Fact]
    public void GroupedBarsSitSideBySideWithALegendAndSkipMissingValues()
    {
        var svg = Svg(Charts.GroupedBars(["Concat", "MLA"], Series(("ours", [50.0, 60.0]), ("paper", [61.56, double.NaN])), "Multi", "accuracy (%)"));
        Assert.Equal(["ours", "paper"], Texts(svg, "legend-item"));
        var bars = Class(svg, "bar");
        Assert.Equal(3, bars.Count); // the NaN is left out
        var colours = bars.Select(b => (string)b.Attribute("fill")!).ToList();
        Assert.Equal(colours[0], colours[1]);
        Assert.NotEqual(colours[0], colours[2]);
        // in the Concat group, ours left of the paper's and touching it
        Assert.Equal(A(bars[0], "x") + A(bars[0], "width"), A(bars[2], "x"), 0.15); // coordinates are rounded to 0.1 px
        Assert.True(A(bars[1], "x") > A(bars[2], "x"));
    }

    [Fact]
    public void LinesHaveOnePathPerSeriesThroughEveryPointAndBreakAtMissingValues()
    {
        var svg = Svg(Charts.Lines(Series(("a", [1.0, 2, 3, 4]), ("b", [4.0, double.NaN, 2, 1])), "Per epoch", y: "loss"));
        Assert.Equal(["Per epoch"], Texts(svg, "title"));
        Assert.Equal(["epoch"], Texts(svg, "xtitle"));
        Assert.Equal(["loss"], Texts(svg, "ytitle"));
        Assert.Equal(["a", "b"], Texts(svg, "legend-item"));
        AssertNumericTicks(svg, "xtick");
        Assert.Equal(["1", "2", "3", "4"], Texts(svg, "xtick")); // epochs are whole numbers
        var paths = Class(svg, "line").Select(p => (string)p.Attribute("d")!).ToList();
        Assert.Equal(2, paths.Count);
        Assert.Equal(4, Regex.Matches(paths[0], "[ML]").Count);
        Assert.Single(Regex.Matches(paths[0], "M"));
        Assert.Equal(3, Regex.Matches(paths[1], "[ML]").Count);
        Assert.Equal(2, Regex.Matches(paths[1], "M").Count); // a gap where the value is missing
    }

    [Fact]
    public void LinesOverGivenXValues()
    {
        var svg = Svg(Charts.Lines(new (string, IReadOnlyList<double>, IReadOnlyList<double>)[] { ("mask token", [10.0, 50, 100], [43.8, 50, 60]) }, "Text at test", "% of test samples with text"));
        Assert.Equal(["% of test samples with text"], Texts(svg, "xtitle"));
        Assert.Equal(3, Regex.Matches((string)Class(svg, "line").Single().Attribute("d")!, "[ML]").Count);
        AssertNumericTicks(svg, "xtick");
    }

    [Fact]
    public void ScatterDrawsOneMarkerPerPointAndNoLineOneColourPerGroup()
    {
        Repro.Evaluation.ProjectedPoint[] points = [new("image", 0.5, 0.1), new("image", 0.4, -0.2), new("text", -0.6, 0.3)];
        var svg = Svg(Charts.Scatter(points, "Embeddings", "component 1", "component 2"));
        Assert.Equal(["Embeddings"], Texts(svg, "title"));
        Assert.Equal(["component 1"], Texts(svg, "xtitle"));
        Assert.Equal(["image", "text"], Texts(svg, "legend-item"));
        Assert.Empty(Class(svg, "line"));
        var markers = Class(svg, "marker");
        Assert.Equal(3, markers.Count);
        Assert.Equal((string)markers[0].Attribute("fill")!, (string)markers[1].Attribute("fill")!);
        Assert.NotEqual((string)markers[0].Attribute("fill")!, (string)markers[2].Attribute("fill")!);
        Assert.True(A(markers[2], "cx") < A(markers[1], "cx") && A(markers[1], "cx") < A(markers[0], "cx"));   // x in order
    }

    [Fact]
    public void CurvesDrawARunsHistory()
    {
        var run = new RunResult
        {
            Key = "k", Method = "concat", Spec = new(), SelectedEpoch = 2, Selection = Selection.Validation, Test = new() { ["acc"] = 50 },
            History = Enumerable.Range(1, 5).Select(e => new EpochRecord
            {
                Epoch = e, Lr = 0.1, TrainLosses = new() { ["loss"] = 1.0 / e }, Test = new() { ["acc"] = 20 + 5 * e },
            }).ToList(),
        };
        var svg = Svg(Charts.Curves([("concat", run)], "test/acc", "Test accuracy", "accuracy (%)"));
        Assert.Equal(5, Regex.Matches((string)Class(svg, "line").Single().Attribute("d")!, "[ML]").Count);
        Assert.Equal(["Test accuracy"], Texts(svg, "title"));
    }

    [Fact]
    public void TableChartsAreGroupedBarsOfOursBesideThePapers()
    {
        var t = new TableResult
        {
            Spec = new TableSpec
            {
                Id = "t", Title = "T", Source = "s",
                Columns = [new TableColumn("Concat", "concat"), new TableColumn("MLA", "mla")],
                Rows = [new TableRow("Multi", new Dictionary<string, string> { ["cremad"] = "acc" })],
                Paper = new Dictionary<string, Dictionary<string, Dictionary<string, double>>> { ["cremad"] = new() { ["Multi"] = new() { ["Concat"] = 61.56, ["MLA"] = 79.70 } } },
            },
            Dataset = "cremad", Profile = Repro.Experiments.Profile.Smoke, StandIn = true, Selection = "Validation",
            Columns = [new TableColumn("Concat", "concat"), new TableColumn("MLA", "mla")], Skipped = [],
            Cells = new() { [("Multi", "Concat")] = [50], [("Multi", "MLA")] = [55] },
            TestBestCells = new() { [("Multi", "Concat")] = [50], [("Multi", "MLA")] = [55] },
            Runs = new() { ["Concat"] = [("a", 1, false)], ["MLA"] = [("b", 1, false)] },
        };
        var svg = Svg(TableReport.Charts(t).Single());
        Assert.Equal(["Multi: accuracy (%)"], Texts(svg, "title"));
        Assert.Equal(["Concat", "MLA"], Texts(svg, "xtick"));
        Assert.Equal(["ours", "paper"], Texts(svg, "legend-item"));
        Assert.Equal(4, Class(svg, "bar").Count);
    }

    static SKBitmap Raster(XElement image)
    {
        var href = (string)image.Attribute(XName.Get("href", "http://www.w3.org/1999/xlink"))!;
        Assert.StartsWith("data:image/png;base64,", href);
        return SKBitmap.Decode(Convert.FromBase64String(href["data:image/png;base64,".Length..]));
    }

    [Fact]
    public void HeatmapIsOnePixelPerCellWithRowZeroAtTheBottomAndAColourBar()
    {
        TorchRuntime.EnsureReady();
        var svg = Svg(Charts.Heatmap(arange(12, dtype: ScalarType.Float32).reshape(3, 4), "Spectrogram", "frame", "bin"));
        Assert.Equal(["frame"], Texts(svg, "xtitle"));
        Assert.Equal(["bin"], Texts(svg, "ytitle"));
        Assert.Equal(["0", "1", "2", "3"], Texts(svg, "xtick"));
        Assert.Equal(["0", "1", "2"], Texts(svg, "ytick"));
        using var cells = Raster(Class(svg, "heatmap").Single());
        Assert.Equal((4, 3), (cells.Width, cells.Height));
        // z[0][0] (the smallest) is drawn bottom-left, z[2][3] (the largest) top-right, at the colour bar's ends
        using var bar = Raster(Class(svg, "colorbar").Single());
        Assert.Equal(bar.GetPixel(0, bar.Height - 1), cells.GetPixel(0, 2));
        Assert.Equal(bar.GetPixel(0, 0), cells.GetPixel(3, 0));
        Assert.NotEqual(cells.GetPixel(0, 2), cells.GetPixel(3, 0));
        Assert.NotEmpty(Texts(svg, "colorbar-tick"));
    }

    [Fact]
    public void ImageKeepsItsPixelsAndSquareAspect()
    {
        TorchRuntime.EnsureReady();
        var chw = zeros(3, 2, 3);
        chw[0, 0, 0] = tensor(1f); // red top-left
        chw[2, 1, 2] = tensor(1f); // blue bottom-right
        var svg = Svg(Charts.Image(chw, "first frame"));
        var image = Class(svg, "image").Single();
        Assert.Equal(A(image, "width") / 3, A(image, "height") / 2, 1);
        using var px = Raster(image);
        Assert.Equal(new SKColor(255, 0, 0), px.GetPixel(0, 0));
        Assert.Equal(new SKColor(0, 0, 255), px.GetPixel(2, 1));
        Assert.Equal(new SKColor(0, 0, 0), px.GetPixel(1, 0));
    }

    [Fact]
    public void AnUndrawnTraceTypeIsNamedNotDroppedSilently()
    {
        var figure = System.Text.Json.Nodes.JsonNode.Parse("""{"data": [{"type": "pie", "values": [1, 2]}], "layout": {"title": {"text": "P"}}}""")!.AsObject();
        var svg = XDocument.Parse(ChartSvg.Render(figure)).Root!;
        Assert.Contains("no static drawing for pie traces", Texts(svg, "unsupported").Single());
    }

    [Fact]
    public void TheFigureKeepsOnlyWhatTheChartUsesAndSixDigits()
    {
        var figure = PlotlyFigure.ToJson(Charts.Lines(Series(("a", [1.0 / 3, 2])), "T"));
        Assert.Equal(0.333333, figure["data"]![0]!["y"]![0]!.GetValue<double>());
        var template = figure["layout"]!["template"]!;
        Assert.Equal(["scatter"], template["data"]!.AsObject().Select(kv => kv.Key));
        Assert.Null(template["layout"]!["geo"]);
        Assert.NotNull(template["layout"]!["colorway"]);
        Assert.Null(figure["frames"]);
    }

    [Fact]
    public void EveryChartTheLessonsDrawIsCovered()
    {
        var sources = Directory.GetFiles(Path.Combine(TestPaths.RepoRoot, "notebooks"), "*.ipynb")
            .Select(File.ReadAllText).ToList();
        var used = sources.SelectMany(s => Regex.Matches(s, @"(?<![\w.])Charts\.(\w+)\(").Select(m => m.Groups[1].Value))
            .Concat(sources.Any(s => s.Contains("TableReport.Charts(")) ? ["TableReport.Charts"] : [])
            .ToHashSet();
        Assert.NotEmpty(used);
        Assert.Subset(Covered, used);
    }
}
