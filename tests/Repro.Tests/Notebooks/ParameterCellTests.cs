using System.Text.Json.Nodes;
using Repro.Notebooks;
using static Repro.Tests.Notebooks.NotebookKit;

namespace Repro.Tests.Notebooks;

/// <summary>The parameters a notebook reads, found from its code, and the parameter cell that holds them.</summary>
public class ParameterCellTests
{
    static NotebookCell Tagged(string source)
    {
        var cell = Code(source);
        cell.Metadata["tags"] = new JsonArray("parameters");
        return cell;
    }

    static Notebook Lesson(NotebookCell parameters) => PolyglotNotebook.Create(
        Md("# A lesson"),
        Code("#r \"../lib/Repro.Cli/bin/Debug/net10.0/Repro.dll\"\nusing Repro.Reporting;"),
        parameters,
        Code("var table = Run(dataset, NotebookParameters.Profile);\nvar extra = NotebookParameters.GetBool(\"verbose\", false);"));

    const string ParameterSource =
        "var dataset = NotebookParameters.GetChoice(\"dataset\", \"cremad\", \"cremad\", \"ks\");\n" +
        "var seeds = NotebookParameters.GetInt(\"seeds\", 1);\n" +
        "var columns = NotebookParameters.GetList(\"columns\", [\"Concat\", \"MLA\"]);\n" +
        "var selection = NotebookParameters.GetEnum<Selection>(\"selection\", Selection.Validation);\n" +
        "var results = Repro.Reporting.NotebookParameters.Get(\"results\", ResultsStore.DefaultRoot());\n" +
        "var alpha = Parameters[\"alpha\"];";

    [Fact]
    public void DeclaredParametersComeWithTypeDefaultChoicesAndCells()
    {
        var nb = Lesson(Tagged(ParameterSource));
        Assert.Equal(3, ParameterCell.Find(nb));
        var p = ParameterCell.Declared(nb).ToDictionary(x => x.Name);
        Assert.Equal(["dataset", "seeds", "columns", "selection", "results", "alpha", "profile", "verbose"], p.Keys);
        Assert.Equal(("choice", "cremad"), (p["dataset"].Type, p["dataset"].Default));
        Assert.Equal(["cremad", "ks"], p["dataset"].Choices);
        Assert.Equal(("int", "1"), (p["seeds"].Type, p["seeds"].Default));
        Assert.Equal(("list", "Concat, MLA"), (p["columns"].Type, p["columns"].Default));
        Assert.Equal(("enum Selection", "Selection.Validation"), (p["selection"].Type, p["selection"].Default));
        Assert.Equal("ResultsStore.DefaultRoot()", p["results"].Default);
        Assert.Null(p["alpha"].Default);
        Assert.Equal(["smoke", "embedded", "paper"], p["profile"].Choices);
        Assert.Equal([4], p["verbose"].Cells); // read outside the parameter cell
        Assert.Equal([3], p["dataset"].Cells);
    }

    [Fact]
    public void AMarkerCommentAlsoMakesAParameterCell()
    {
        Assert.Equal(3, ParameterCell.Find(Lesson(Code("// Parameters\n" + ParameterSource))));
        Assert.Null(ParameterCell.Find(Lesson(Code(ParameterSource))));
    }

    [Fact]
    public void UnknownOverridesAreRefusedWithTheClosestNames()
    {
        var nb = Lesson(Tagged(ParameterSource));
        Assert.Empty(ParameterCell.Unknown(nb, "10-x.ipynb", ["dataset", "SEEDS", "results"], ["profile", "results"]));
        var problems = ParameterCell.Unknown(nb, "10-x.ipynb", ["datset", "learning-rate"], ["profile", "results"]);
        Assert.Equal(2, problems.Count);
        Assert.Equal("10-x.ipynb: --param datset: the notebook has no parameter 'datset'; did you mean dataset?", problems[0]);
        Assert.StartsWith("10-x.ipynb: --param learning-rate: the notebook has no parameter 'learning-rate'; it reads: dataset, seeds", problems[1]);
        Assert.EndsWith("it reads no parameters", ParameterCell.Unknown(PolyglotNotebook.Create(Code("1")), "a.ipynb", ["x"], []).Single());
    }
}
