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
}
