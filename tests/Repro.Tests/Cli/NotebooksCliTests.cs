using System.Text.Json.Nodes;
using Repro.Notebooks;
using static Repro.Tests.Cli.CliHarness;

namespace Repro.Tests.Cli;

/// <summary>`repro notebooks params` lists a lesson's parameters; a --param a notebook does not read is refused before anything runs.</summary>
[Collection("Console")]
public class NotebooksCliTests
{
    static string Lesson()
    {
        var parameters = PolyglotNotebook.Code(
            "var dataset = NotebookParameters.GetChoice(\"dataset\", \"cremad\", \"cremad\", \"ks\");\nvar seeds = NotebookParameters.GetInt(\"seeds\", 1);");
        parameters.Metadata["tags"] = new JsonArray("parameters");
        var path = Path.Combine(TestPaths.TempDir("nbcli"), "10-lesson.ipynb");
        PolyglotNotebook.Create(PolyglotNotebook.Code("#r \"../lib/Repro.Cli/bin/Debug/net10.0/Repro.dll\"\nusing Repro.Reporting;"), parameters,
            PolyglotNotebook.Code("throw new Exception(\"this cell must not run\");")).Save(path);
        return path;
    }

    [Fact]
    public void ParamsListsEachParameterWithItsDefaultAndOverride()
    {
        var (code, output, err) = Run("notebooks", "params", Lesson(), "--param", "dataset=ks");
        Assert.True(code == 0, err);
        Assert.Contains("10-lesson.ipynb: parameter cell 2", output);
        var lines = output.Split('\n').Select(l => l.Trim()).ToList();
        Assert.Contains(lines, l => l.StartsWith("name") && l.Contains("default") && l.Contains("value"));
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^dataset\s+choice\s+cremad\s+ks \(--param\)\s+cremad, ks$"));
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^seeds\s+int\s+1\s+-$"));
    }

    [Fact]
    public void AnUnknownParamIsRefusedWithTheClosestNameBeforeAnyCellRuns()
    {
        var lesson = Lesson();
        var results = TestPaths.TempDir("nbcli-results");
        var (code, _, err) = Run("notebooks", "run", lesson, "--profile", "smoke", "--results", results, "--param", "datset=ks", "--param", "seeds=2");
        Assert.Equal(1, code);
        Assert.Contains("10-lesson.ipynb: --param datset: the notebook has no parameter 'datset'; did you mean dataset?", err);
        Assert.DoesNotContain("seeds", err);
        Assert.False(Directory.Exists(Path.Combine(results, "notebooks")), "nothing may run");
    }
}
