using Plotly.NET;
using Repro.Experiments;
using static TorchSharp.torch;
using CSharpChart = Plotly.NET.CSharp.Chart;

namespace Repro.Reporting;

/// <summary>The charts the lessons and reports draw, as Plotly.NET GenericCharts (rendered offline by the kit).</summary>
public static class Charts
{
    static GenericChart Titled(GenericChart chart, string title, string? x = null, string? y = null, int width = 800, int height = 420)
    {
        chart = Plotly.NET.Chart.withTitle(title, null).Invoke(chart);
        if (x is not null) chart = Plotly.NET.CSharp.GenericChartExtensions.WithXAxisStyle<double, double, string>(chart, x);
        if (y is not null) chart = Plotly.NET.CSharp.GenericChartExtensions.WithYAxisStyle<double, double, string>(chart, y);
        return Plotly.NET.CSharp.GenericChartExtensions.WithSize(chart, width, height);
    }

    /// <summary>Bars: one value per label.</summary>
    public static GenericChart Bars(IReadOnlyList<string> labels, IReadOnlyList<double> values, string title, string? y = null) =>
        Titled(CSharpChart.Column<double, string, string>(values: values.ToArray(), Keys: labels.ToArray()), title, null, y);

    /// <summary>Grouped bars: for each series, one value per label.</summary>
    public static GenericChart GroupedBars(IReadOnlyList<string> labels, IEnumerable<(string Name, IReadOnlyList<double> Values)> series, string title, string? y = null) =>
        Titled(CSharpChart.Combine(series.Select(s =>
            CSharpChart.Column<double, string, string>(values: s.Values.ToArray(), Keys: labels.ToArray(), Name: s.Name))), title, null, y);

    /// <summary>Lines over epochs (1-based), one per series.</summary>
    public static GenericChart Lines(IEnumerable<(string Name, IReadOnlyList<double> Values)> series, string title, string x = "epoch", string? y = null) =>
        Lines(series.Select(s => (s.Name, (IReadOnlyList<double>)Enumerable.Range(1, s.Values.Count).Select(i => (double)i).ToArray(), s.Values)), title, x, y);

    /// <summary>Lines over any x values (e.g. the percentage of test samples with text), one per series.</summary>
    public static GenericChart Lines(IEnumerable<(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Values)> series, string title, string x, string? y = null) =>
        Titled(CSharpChart.Combine(series.Select(s =>
            CSharpChart.Line<double, double, string>(x: s.X.ToArray(), y: s.Values.ToArray(), Name: s.Name))), title, x, y);

    /// <summary>Points without lines, one marker colour per group (e.g. MLA Figure 3's image and text embeddings).</summary>
    public static GenericChart Scatter(IEnumerable<Evaluation.ProjectedPoint> points, string title, string? x = null, string? y = null) =>
        Titled(CSharpChart.Combine(points.GroupBy(p => p.Group).Select(g =>
            CSharpChart.Point<double, double, string>(x: g.Select(p => p.X).ToArray(), y: g.Select(p => p.Y).ToArray(), Name: g.Key))), title, x, y, 560, 480);

    /// <summary>A metric of each run's history per epoch, e.g. "test/acc_visual" or "train/loss".</summary>
    public static GenericChart Curves(IEnumerable<(string Name, RunResult Run)> runs, string metric, string title, string? y = null) =>
        Lines(runs.Select(r => (r.Name, (IReadOnlyList<double>)r.Run.Series(metric))), title, "epoch", y ?? metric);

    /// <summary>Any metrics of any runs per epoch, one line each: (legend, run, metric).</summary>
    public static GenericChart Curves(IEnumerable<(string Name, RunResult Run, string Metric)> lines, string title, string? y = null) =>
        Lines(lines.Select(l => (l.Name, (IReadOnlyList<double>)l.Run.Series(l.Metric))), title, "epoch", y);

    /// <summary>A 2-D tensor (rows x columns) as a heatmap, first row at the bottom (spectrograms).</summary>
    public static GenericChart Heatmap(Tensor matrix, string title, string? x = null, string? y = null)
    {
        if (matrix.dim() != 2) throw new ArgumentException($"A heatmap needs a 2-D tensor, got ({string.Join(", ", matrix.shape)}).");
        var m = matrix.to(ScalarType.Float64).cpu().contiguous();
        int rows = (int)m.shape[0], cols = (int)m.shape[1];
        var data = m.data<double>().ToArray();
        var z = Enumerable.Range(0, rows).Select(r => data.Skip(r * cols).Take(cols).ToArray()).ToArray();
        return Titled(CSharpChart.Heatmap<double, int, int, string>(z), title, x, y, 800, 360);
    }

    /// <summary>A (3, H, W) image tensor with values in [0, 1] (undo normalisation first).</summary>
    public static GenericChart Image(Tensor chw, string title)
    {
        var img = (chw.clamp(0, 1) * 255).round().to(ScalarType.Int32).cpu().contiguous();
        int h = (int)img.shape[1], w = (int)img.shape[2];
        var d = img.data<int>().ToArray();
        var rgb = Enumerable.Range(0, h).Select(y => Enumerable.Range(0, w).Select(x =>
            (IEnumerable<int>)[d[y * w + x], d[h * w + y * w + x], d[2 * h * w + y * w + x]]).ToArray()).ToArray();
        var chart = CSharpChart.Image<string>(rgb);
        return Titled(chart, title, null, null, 360, 360);
    }
}
