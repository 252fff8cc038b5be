using Repro.Notebooks;
using Xunit.Abstractions;

namespace Repro.Tests.Notebooks;

/// <summary>Every lesson in notebooks/ is valid Polyglot and runs to the end under the smoke profile.</summary>
[Collection(NotebookCollection.Name)]
public class LessonNotebookTests(ITestOutputHelper output)
{
    public static TheoryData<string> Lessons()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(Path.Combine(TestPaths.RepoRoot, "notebooks"), "*.ipynb").Order(StringComparer.Ordinal))
            data.Add(Path.GetFileName(f));
        return data;
    }

    [Theory]
    [MemberData(nameof(Lessons))]
    public async Task RunsUnderTheSmokeProfile(string lesson)
    {
        var path = Path.Combine(TestPaths.RepoRoot, "notebooks", lesson);
        Assert.Empty(NotebookValidator.Validate(Notebook.Load(path)));
        var results = TestPaths.TempDir("lesson");
        var options = new RunOptions { OutputDirectory = Path.Combine(results, "notebooks"), Profile = "smoke", Log = new StringWriter() };
        options.Parameters["results"] = results;
        var run = await NotebookRunner.RunAsync(path, options);
        output.WriteLine(options.Log.ToString());
        Assert.True(run.Succeeded, run.FailureMessage);
        Assert.Empty(NotebookValidator.Validate(Notebook.Load(run.OutputPath!)));
        Assert.Contains(run.Cells, c => c.Outputs.Any(o => o is DisplayDataOutput or ExecuteResultOutput));
        // no runner noise: nothing on stderr (the lesson's #r of the kit resolves silently), no chart without its static image
        Assert.All(run.Cells, c => Assert.Equal("", NotebookKit.Stream(c, StreamOutput.Stderr)));
        Assert.All(run.Cells.SelectMany(c => c.Outputs).OfType<DisplayDataOutput>().Where(d => d.Data.Contains(Repro.Reporting.PlotlyFigure.MimeType)),
            d => Assert.True(d.Data.Contains("image/svg+xml")));
        var problems = LessonVerdicts.Problems(Notebook.Load(run.OutputPath!), lesson);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void TheVerdictsOfTheExecutedCopiesCiteTheirOwnNumbers()
    {
        var folder = Path.Combine(TestPaths.RepoRoot, "notebooks", ExecutedCopies.FolderName);
        var copies = Directory.GetFiles(folder, "*.ipynb").Order(StringComparer.Ordinal).ToList();
        var problems = copies.SelectMany(f => LessonVerdicts.Problems(Notebook.Load(f), Path.GetFileName(f))).ToList();
        foreach (var f in copies) output.WriteLine($"{Path.GetFileName(f)}: {LessonVerdicts.CitedCount(Notebook.Load(f))} percentages cited by its verdicts");
        Assert.True(problems.Count == 0, string.Join("\n", problems));

        // and the check can fail: a cited percentage replaced by one the notebook never shows is found out
        var tampered = Notebook.Load(Path.Combine(folder, "02-mla-table1.ipynb"));
        var verdict = tampered.Cells.First(c => c.Source.Contains("Verdicts.UnderBothSelections(", StringComparison.Ordinal)).Outputs.OfType<ExecuteResultOutput>().Single();
        var text = verdict.Data[MimeBundle.PlainText]!;
        var cited = System.Text.RegularExpressions.Regex.Match(text, @"(?<![\d.])(\d+\.\d)%");
        verdict.Data.SetText(MimeBundle.PlainText, text.Remove(cited.Index, cited.Groups[1].Length).Insert(cited.Index, "123.4"));
        Assert.NotEmpty(LessonVerdicts.Problems(tampered, "02-mla-table1.ipynb (tampered)"));
    }

    [Theory]
    [MemberData(nameof(Lessons))]
    public void ParametersAreReadInTheParameterCell(string lesson)
    {
        // The lesson shape: one cell holds every parameter (tagged "parameters"), so `repro notebooks params` lists them all
        // and no other cell repeats a default. Lessons without a parameter cell yet are left to their rewrite.
        var nb = Notebook.Load(Path.Combine(TestPaths.RepoRoot, "notebooks", lesson));
        if (ParameterCell.Find(nb) is not { } cell) return;
        Assert.All(ParameterCell.Declared(nb), p => Assert.True(p.Cells.SequenceEqual([cell]),
            $"{lesson}: parameter '{p.Name}' is read in cell {string.Join(", ", p.Cells)}, not only in the parameter cell {cell}"));
    }

    [Fact]
    public void TheCommittedExecutedCopiesMatchTheLessons()
    {
        // Every lesson has a committed copy that ran to the end under the embedded profile from its current code.
        var notebooks = Path.Combine(TestPaths.RepoRoot, "notebooks");
        var problems = ExecutedCopies.Check(notebooks, Path.Combine(notebooks, ExecutedCopies.FolderName));
        Assert.True(problems.Count == 0, string.Join("\n", problems.Prepend("`repro notebooks refresh` regenerates the executed copies:")));
    }

    [Fact]
    public void LessonsAreNumberedAndStartFromAnEmptyState()
    {
        var lessons = Directory.GetFiles(Path.Combine(TestPaths.RepoRoot, "notebooks"), "*.ipynb").Select(f => Path.GetFileName(f)).ToArray();
        Assert.Contains("00-setup.ipynb", lessons);
        foreach (var l in lessons)
        {
            Assert.Matches(@"^\d\d-[a-z0-9-]+\.ipynb$", l);
            var nb = Notebook.Load(Path.Combine(TestPaths.RepoRoot, "notebooks", l));
            Assert.All(nb.Cells.Where(c => c.CellType == "code"), c => Assert.Empty(c.Outputs));
        }
    }

    /// <summary>
    /// No cell of a lesson or of its executed copy is a stand-in for text still to write: a bare upper-case token such
    /// as VERDICT_PROSE (two lessons shipped one), or a TODO / TBD / FIXME note.
    /// </summary>
    [Fact]
    public void NoLessonCellIsAPlaceholder()
    {
        var files = Directory.GetFiles(Path.Combine(TestPaths.RepoRoot, "notebooks"), "*.ipynb", SearchOption.AllDirectories);
        var problems = files.SelectMany(f => Notebook.Load(f).Cells.Select((c, i) => (c, i))
                .Where(x => System.Text.RegularExpressions.Regex.IsMatch(x.c.Source.Trim(), @"^[A-Z][A-Z0-9_]+$|\b(TODO|TBD|FIXME)\b"))
                .Select(x => $"{Path.GetRelativePath(TestPaths.RepoRoot, f)} cell {x.i}: '{x.c.Source.Trim()}'"))
            .ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}
