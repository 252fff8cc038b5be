using Repro.Notebooks;
using static Repro.Tests.Notebooks.NotebookKit;

namespace Repro.Tests.Notebooks;

/// <summary>
/// The executed copies committed beside the lessons: regenerating them on unchanged code changes nothing, and a copy that
/// no longer matches its lesson is caught.
/// </summary>
[Collection(NotebookCollection.Name)]
public class ExecutedCopiesTests
{
    static NotebookCell[] Lesson(string last = "Console.WriteLine(\"done\");") =>
    [
        Md("# Lesson"),
        Code($"#r \"{ReproDll}\"\n#r \"nuget: Plotly.NET\"\nusing Repro.Reporting;"),
        Code("var data = System.IO.Path.GetFullPath(\"data/standin\");\n$\"reading {data}\""),
        Code("Charts.Bars([\"a\", \"b\"], [1.0, 2.0], \"Counts\", \"n\")"),
        Code(last),
    ];

    /// <summary>Runs a lesson in its own checkout at <paramref name="checkout"/> as `repro notebooks refresh` does.</summary>
    static async Task<NotebookRunResult> Refresh(string checkout, params NotebookCell[] cells)
    {
        var dir = Path.Combine(checkout, "notebooks");
        Directory.CreateDirectory(dir);
        var options = new RunOptions
        {
            OutputDirectory = Path.Combine(dir, ExecutedCopies.FolderName), Overwrite = true, Profile = ExecutedCopies.Profile,
            RecordDurations = false, RelativeTo = checkout,
        };
        options.Parameters["results"] = Path.Combine(checkout, "results");
        var r = await NotebookRunner.RunAsync(Write(dir, "01-lesson.ipynb", cells), options);
        Assert.True(r.Succeeded, Describe(r));
        return r;
    }

    [Fact]
    public async Task CopiesFromTwoCheckoutsOfTheSameCodeAreIdentical()
    {
        var checkoutA = TestPaths.TempDir("checkout-a");
        var a = await Refresh(checkoutA, Lesson());
        var b = await Refresh(TestPaths.TempDir("checkout-b"), Lesson());
        var text = File.ReadAllText(a.OutputPath!);
        Assert.Equal(text, File.ReadAllText(b.OutputPath!));
        Assert.Contains("reading notebooks/data/standin", text); // paths relative to the checkout
        Assert.Contains("\"results\": \"results\"", text);
        Assert.DoesNotContain("duration_ms", text);
        Assert.DoesNotContain(Path.GetDirectoryName(checkoutA)!, text);   // no checkout's own path (the kit's dll path in cell 2 may be under /tmp too)
    }

    static void Rewrite(string dir, string name, params NotebookCell[] cells)
    {
        File.Delete(Path.Combine(dir, name));
        Write(dir, name, cells);
    }

    [Fact]
    public async Task CheckFindsStaleMissingOrphanAndFailedCopies()
    {
        var checkout = TestPaths.TempDir("checkout");
        var notebooks = Path.Combine(checkout, "notebooks");
        var executed = Path.Combine(notebooks, ExecutedCopies.FolderName);
        await Refresh(checkout, Lesson());
        Assert.Empty(ExecutedCopies.Check(notebooks, executed));

        // the lesson is edited, its copy is not regenerated
        Rewrite(notebooks, "01-lesson.ipynb", Lesson("Console.WriteLine(\"done, edited\");"));
        var stale = Assert.Single(ExecutedCopies.Check(notebooks, executed));
        Assert.Contains("01-lesson.ipynb: stale, code cell 4, line 1: the notebook has \"Console.WriteLine(\"done, edited\");\", the copy \"Console.WriteLine(\"done\");\"", stale);

        // a markdown edit is not a stale copy; a new lesson without a copy and a copy without its lesson are problems
        Rewrite(notebooks, "01-lesson.ipynb", [Md("# Lesson, retitled"), .. Lesson()[1..]]);
        Write(notebooks, "02-new.ipynb", Code("1"));
        File.Copy(Path.Combine(executed, "01-lesson.ipynb"), Path.Combine(executed, "00-gone.ipynb"));
        var problems = ExecutedCopies.Check(notebooks, executed);
        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.Contains("00-gone.ipynb: an executed copy of a notebook that does not exist"));
        Assert.Contains(problems, p => p.Contains("02-new.ipynb: no executed copy"));

        // a copy of a failed run, one under another profile, one run with a machine's own path
        var nb = Notebook.Load(Path.Combine(executed, "01-lesson.ipynb"));
        nb.Metadata["repro"]!["succeeded"] = false;
        nb.Metadata["repro"]!["parameters"]!["profile"] = "smoke";
        nb.Metadata["repro"]!["parameters"]!["results"] = "/home/someone/results";
        nb.Save(Path.Combine(executed, "01-lesson.ipynb"), overwrite: true);
        problems = ExecutedCopies.Check(notebooks, executed);
        Assert.Contains(problems, p => p.Contains("01-lesson.ipynb: the run it records did not succeed"));
        Assert.Contains(problems, p => p.Contains("01-lesson.ipynb: executed under profile 'smoke', expected 'embedded'"));
        Assert.Contains(problems, p => p.Contains("01-lesson.ipynb: executed with results=/home/someone/results, an absolute path"));
    }
}
