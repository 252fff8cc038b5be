using System.Text.Json.Nodes;
using Repro.Notebooks;
using Repro.Notebooks.Scripting;

namespace Repro.Tests.Notebooks;

public class NotebookModelTests
{
    const string Sample = """
        {
         "cells": [
          {
           "attachments": {"img.png": {"image/png": "iVBORw0KGgo="}},
           "cell_type": "markdown",
           "id": "intro",
           "metadata": {"tags": ["a"]},
           "source": ["# Lesson\n", "Some *text*."]
          },
          {
           "cell_type": "code",
           "execution_count": 3,
           "id": "c-1",
           "metadata": {"dotnet_interactive": {"language": "csharp"}, "polyglot_notebook": {"kernelName": "csharp"}, "vendor": {"x": 1}},
           "outputs": [
            {"name": "stdout", "output_type": "stream", "text": ["a\n", "b\n"]},
            {"data": {"application/json": {"k": [1, 2]}, "text/html": "<b>x</b>", "text/plain": ["x"]}, "metadata": {"m": true}, "output_type": "display_data"},
            {"data": {"text/plain": ["42"]}, "execution_count": 3, "metadata": {}, "output_type": "execute_result"},
            {"ename": "E", "evalue": "v", "output_type": "error", "traceback": ["t1", "t2"]},
            {"output_type": "future_kind", "payload": {"z": 0}}
           ],
           "source": "var x = 42;\nx"
          },
          {"cell_type": "raw", "id": "r", "metadata": {}, "source": []}
         ],
         "metadata": {
          "kernelspec": {"display_name": ".NET (C#)", "language": "C#", "name": ".net-csharp"},
          "language_info": {"name": "polyglot-notebook"},
          "polyglot_notebook": {"kernelInfo": {"defaultKernelName": "csharp", "items": [{"aliases": [], "name": "csharp"}]}},
          "zz_unknown": {"deep": [1, {"a": null}]}
         },
         "nbformat": 4,
         "nbformat_minor": 5,
         "zz_top_level_extra": true
        }
        """;

    [Fact]
    public void ReadsEveryOutputKindAndKeepsUnknownParts()
    {
        var nb = Notebook.Parse(Sample);
        Assert.Equal(3, nb.Cells.Count);
        Assert.Equal("# Lesson\nSome *text*.", nb.Cells[0].Source);
        Assert.NotNull(nb.Cells[0].Attachments);
        var code = nb.Cells[1];
        Assert.Equal("var x = 42;\nx", code.Source);
        Assert.Equal(3, code.ExecutionCount);
        Assert.Equal("csharp", code.KernelName);
        Assert.Equal("a\nb\n", Assert.IsType<StreamOutput>(code.Outputs[0]).Text);
        var d = Assert.IsType<DisplayDataOutput>(code.Outputs[1]);
        Assert.Equal("<b>x</b>", d.Data[MimeBundle.Html]);
        Assert.Equal("x", d.Data[MimeBundle.PlainText]);
        Assert.Equal("""{"k":[1,2]}""", d.Data["application/json"]);
        Assert.Equal(3, Assert.IsType<ExecuteResultOutput>(code.Outputs[2]).ExecutionCount);
        var e = Assert.IsType<ErrorOutput>(code.Outputs[3]);
        Assert.Equal(["t1", "t2"], e.Traceback);
        Assert.Equal("future_kind", Assert.IsType<UnknownOutput>(code.Outputs[4]).OutputType);
    }

    [Fact]
    public void WritingWhatWasReadGivesTheSameJson()
    {
        var nb = Notebook.Parse(Sample);
        var once = nb.ToJson();
        Assert.Equal(once, Notebook.Parse(once).ToJson());
        var tree = JsonNode.Parse(once)!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Sample)!["metadata"], tree["metadata"]));
        Assert.True(tree["zz_top_level_extra"]!.GetValue<bool>());
        Assert.Equal(1, tree["cells"]![1]!["metadata"]!["vendor"]!["x"]!.GetValue<int>());
        Assert.Equal("<b>x</b>", tree["cells"]![1]!["outputs"]![1]!["data"]!["text/html"]!.GetValue<string>()); // kept as a string
        Assert.Equal(0, tree["cells"]![1]!["outputs"]![4]!["payload"]!["z"]!.GetValue<int>());
        Assert.StartsWith("{\n \"cells\": [\n  {\n", once); // Jupyter's layout: sorted keys, one-space indent
        Assert.EndsWith("}\n", once);
    }

    [Fact]
    public void MissingCellIdsAreGeneratedDeterministicallyAndUniquely()
    {
        static Notebook Make()
        {
            var nb = new Notebook { NbFormatMinor = 5 };
            nb.Cells.Add(NotebookCell.Markdown("same"));
            nb.Cells.Add(NotebookCell.Markdown("same"));
            nb.Cells.Add(new NotebookCell(CellTypes.Code, "x") { Id = "taken" });
            nb.Cells.Add(new NotebookCell(CellTypes.Code, "y") { Id = "taken" });   // duplicate
            nb.Cells.Add(new NotebookCell(CellTypes.Code, "z") { Id = "not valid!" });
            return nb;
        }
        var a = Make();
        a.EnsureCellIds();
        var b = Make();
        b.EnsureCellIds();
        Assert.Equal(a.Cells.Select(c => c.Id), b.Cells.Select(c => c.Id));
        Assert.Equal(5, a.Cells.Select(c => c.Id).Distinct().Count());
        Assert.Equal("taken", a.Cells[2].Id);
        Assert.All(a.Cells, c => Assert.True(Notebook.IsValidCellId(c.Id!)));
        Assert.Empty(NotebookValidator.ValidateFormat(a.ToJson()));
    }

    [Fact]
    public void FactoryMakesAValidPolyglotNotebook()
    {
        var nb = PolyglotNotebook.Create([("markdown", "# Title"), ("code", "var x = 1;"), ("code", "x")]);
        Assert.Empty(NotebookValidator.Validate(nb));
        Assert.Empty(NotebookValidator.ValidateFormat(nb.ToJson()));
        Assert.Equal("csharp", nb.Cells[1].KernelName);
        Assert.Throws<ArgumentException>(() => PolyglotNotebook.Create([("python", "1")]));
    }

    [Fact]
    public void PolyglotValidatorNamesWhatIsWrong()
    {
        var nb = Notebook.Parse(Sample);
        Assert.Empty(NotebookValidator.ValidatePolyglot(nb));

        nb.Metadata["kernelspec"]!["name"] = ".net-fsharp";
        nb.Metadata["language_info"]!["name"] = "python";
        nb.Metadata["polyglot_notebook"]!["kernelInfo"]!["defaultKernelName"] = "pwsh";
        nb.Cells[1].Metadata["polyglot_notebook"]!["kernelName"] = "fsharp";
        ((JsonObject)nb.Cells[1].Metadata).Remove("dotnet_interactive");
        var problems = NotebookValidator.ValidatePolyglot(nb);
        Assert.Contains(problems, p => p.Contains("kernelspec.name is '.net-fsharp'"));
        Assert.Contains(problems, p => p.Contains("language_info.name is 'python'"));
        Assert.Contains(problems, p => p.Contains("defaultKernelName is 'pwsh'"));
        Assert.Contains(problems, p => p.StartsWith("cell 2 (code): metadata.polyglot_notebook.kernelName is 'fsharp'"));
        Assert.Contains(problems, p => p.StartsWith("cell 2 (code): metadata.dotnet_interactive.language is missing"));

        var legacy = Notebook.Parse(Sample);
        legacy.Metadata["language_info"]!["name"] = "C#";
        Assert.Empty(NotebookValidator.ValidatePolyglot(legacy));
    }

    [Fact]
    public void FormatValidatorCatchesSchemaViolations()
    {
        var bad = """
            {"cells": [
              {"cell_type": "code", "metadata": {}, "source": "x", "outputs": [
                 {"output_type": "stream", "text": "no name"},
                 {"output_type": "display_data", "data": {"text/plain": 5}},
                 {"output_type": "execute_result", "data": {}, "metadata": {}},
                 {"output_type": "error", "ename": "E", "evalue": "v", "traceback": "not a list"}
              ]},
              {"id": "dup", "cell_type": "markdown", "metadata": {}, "source": [], "outputs": []},
              {"id": "dup", "cell_type": "code", "metadata": {}, "source": [], "outputs": [], "execution_count": -1}
            ], "metadata": {"kernelspec": {"name": "x"}}, "nbformat": 4, "nbformat_minor": 4, "extra": 1}
            """;
        var p = NotebookValidator.ValidateFormat(bad);
        Assert.Contains(p, x => x.Contains("nbformat_minor must be an integer >= 5"));
        Assert.Contains(p, x => x.Contains("notebook: 'extra' is not allowed"));
        Assert.Contains(p, x => x.Contains("kernelspec.display_name"));
        Assert.Contains(p, x => x.Contains("cell 1 (code): id is missing"));
        Assert.Contains(p, x => x.Contains("cell 1 (code): 'execution_count' is missing"));
        Assert.Contains(p, x => x.Contains("output 1 (stream): 'name' is missing"));
        Assert.Contains(p, x => x.Contains("output 2 (display_data): 'metadata' is missing"));
        Assert.Contains(p, x => x.Contains("'text/plain' must be a string or an array of strings"));
        Assert.Contains(p, x => x.Contains("output 3 (execute_result): 'execution_count' is missing"));
        Assert.Contains(p, x => x.Contains("traceback must be an array of strings"));
        Assert.Contains(p, x => x.Contains("cell 2 (markdown): 'outputs' is not allowed"));
        Assert.Contains(p, x => x.Contains("id 'dup' is not unique"));
        Assert.Contains(p, x => x.Contains("execution_count must be null or an integer >= 0"));
    }

    [Fact]
    public void SaveIsAtomicAndRefusesToOverwrite()
    {
        var dir = TestPaths.TempDir("nbmodel");
        var path = Path.Combine(dir, "sub", "n.ipynb");
        var nb = PolyglotNotebook.Create(PolyglotNotebook.Code("1"));
        nb.Save(path);
        Assert.Throws<OutputExistsException>(() => nb.Save(path));
        nb.Save(path, overwrite: true);
        Assert.Single(Directory.GetFiles(Path.Combine(dir, "sub")));
        Assert.Equal(nb.ToJson(), File.ReadAllText(path));
    }

    [Fact]
    public void DirectivesAreHoistedKeepingLineNumbers()
    {
        var (directives, code) = CellParser.Parse("#!time\n#r \"nuget: A, 1.0\"\nvar x = 1; // #r \"no\"\n  #!import \"other.ipynb\"\n#region r\n#endregion");
        Assert.Equal(["time", "r", "import"], directives.Select(d => d.Name));
        Assert.Equal("nuget: A, 1.0", directives[1].Argument);
        Assert.Equal("\"other.ipynb\"", directives[2].Argument);
        Assert.Equal(4, directives[2].Line);
        Assert.Equal("\n\nvar x = 1; // #r \"no\"\n\n#region r\n#endregion", code);
        Assert.Equal(("Plotly.NET", "4.2.1"), ReferenceResolver.ParseNuGet("nuget: Plotly.NET, 4.2.1"));
        Assert.Equal(("X", (string?)null), ReferenceResolver.ParseNuGet("nuget:X"));
    }
}
