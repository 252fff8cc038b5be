using Repro.Notebooks;

namespace Repro.Tests.Notebooks;

/// <summary>
/// Notebook runs change process-wide state (Console.Out/Error, REPRO_PARAM_* variables, the working directory), so
/// the notebook tests run alone, after the parallel ones.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NotebookCollection
{
    public const string Name = "Notebooks";
}

/// <summary>Helpers: write a Polyglot notebook into a temp folder, run it, read outputs.</summary>
internal static class NotebookKit
{
    public static string Write(string dir, string fileName, params NotebookCell[] cells)
    {
        var path = Path.Combine(dir, fileName);
        PolyglotNotebook.Create(cells).Save(path);
        return path;
    }

    public static NotebookCell Code(string source) => PolyglotNotebook.Code(source);
    public static NotebookCell Md(string source) => PolyglotNotebook.Markdown(source);

    public static async Task<NotebookRunResult> Run(params NotebookCell[] cells) => await Run(new RunOptions(), cells);

    public static async Task<NotebookRunResult> Run(RunOptions options, params NotebookCell[] cells)
    {
        var dir = TestPaths.TempDir("nb");
        var path = Write(dir, "test.ipynb", cells);
        return await NotebookRunner.RunAsync(path, options);
    }

    /// <summary>All text of one stream of a cell.</summary>
    public static string Stream(CellRunResult cell, string name) =>
        string.Concat(cell.Outputs.OfType<StreamOutput>().Where(s => s.Name == name).Select(s => s.Text));

    public static IEnumerable<DisplayDataOutput> Displays(CellRunResult cell) =>
        cell.Outputs.OfType<DisplayDataOutput>().Where(o => o is not ExecuteResultOutput);

    public static ExecuteResultOutput? Result(CellRunResult cell) => cell.Outputs.OfType<ExecuteResultOutput>().SingleOrDefault();

    /// <summary>The absolute path of the loaded Repro.dll, for #r lines.</summary>
    public static string ReproDll => typeof(Repro.Reporting.HtmlPage).Assembly.Location;

    /// <summary>A C# expression for a Plotly.NET line chart (F# optional arguments must be passed as null from C#).</summary>
    public static string LineChart(string xs, string ys) =>
        $"Plotly.NET.Chart2D_Scatter.Chart.Line<double, double, string>({xs}, {ys}, {string.Join(", ", Enumerable.Repeat("null", 30))})";

    public static string Describe(NotebookRunResult r) =>
        (r.FailureMessage ?? "ok") + "\n" + string.Join("\n", r.Cells.SelectMany(c => c.Outputs).Select(o => o switch
        {
            StreamOutput s => $"[{s.Name}] {s.Text}",
            ErrorOutput e => $"[error] {e.EName}: {e.EValue}\n{string.Join("\n", e.Traceback)}",
            DisplayDataOutput d => $"[{d.OutputType}] {d.Data[MimeBundle.PlainText]}",
            _ => o.OutputType,
        }));
}
