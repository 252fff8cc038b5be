using Repro.Notebooks;
using static Repro.Tests.Notebooks.NotebookKit;

namespace Repro.Tests.Notebooks;

[Collection(NotebookCollection.Name)]
public class NotebookRunnerTests
{
    [Fact]
    public async Task StateCarriesAcrossCells()
    {
        var r = await Run(
            Code("var greeting = \"hello\";\nclass Counter { public int N; public int Next() => ++N; }"),
            Md("# A heading between the cells"),
            Code("var c = new Counter(); c.Next(); c.Next();\n$\"{greeting} {c.N}\""));
        Assert.True(r.Succeeded, Describe(r));
        Assert.Equal(CellStatus.Skipped, r.Cells[1].Status);
        var result = Result(r.Cells[2]);
        Assert.NotNull(result);
        Assert.Equal("hello 2", result.Data[MimeBundle.PlainText]);
        Assert.Equal("hello 2", r.Cells[2].ReturnValue);
        Assert.Equal(1, r.Cells[0].ExecutionCount);
        Assert.Equal(2, r.Cells[2].ExecutionCount);
        Assert.Equal(2, result.ExecutionCount);
    }

    [Fact]
    public async Task NullIsAReturnValueAndAStatementIsNot()
    {
        var r = await Run(Code("object o = null;\no"), Code("var x = 1;"), Code("Console.WriteLine(2);"));
        Assert.True(r.Succeeded, Describe(r));
        Assert.True(r.Cells[0].HasReturnValue);
        Assert.Equal("<null>", Result(r.Cells[0])!.Data[MimeBundle.PlainText]);
        Assert.False(r.Cells[1].HasReturnValue);
        Assert.Null(Result(r.Cells[1]));
        Assert.Null(Result(r.Cells[2]));
    }

    [Fact]
    public async Task CompileErrorNamesNotebookAndCellAndStopsTheRun()
    {
        var dir = TestPaths.TempDir("nb");
        var path = Write(dir, "lesson-compile.ipynb",
            Md("intro"),
            Code("var ok = 1;"),
            Code("var broken = undefinedName + 1;\nConsole.WriteLine(broken);"),
            Code("Console.WriteLine(\"never\");"),
            Md("outro"));
        var r = await NotebookRunner.RunAsync(path, new RunOptions { OutputDirectory = Path.Combine(dir, "out") });

        Assert.False(r.Succeeded);
        Assert.Equal(3, r.FailedCell!.Number);
        Assert.Contains("lesson-compile.ipynb", r.FailureMessage);
        Assert.Contains("cell 3", r.FailureMessage);
        Assert.Contains("var broken = undefinedName + 1;", r.FailureMessage);
        Assert.Contains("CS0103", r.FailureMessage);
        var error = Assert.Single(r.Cells[2].Outputs.OfType<ErrorOutput>());
        Assert.Equal("CompilationError", error.EName);
        Assert.Contains("(1,", error.EValue); // the cell's own line numbers
        Assert.Equal(CellStatus.NotExecuted, r.Cells[3].Status);
        Assert.Empty(r.Cells[3].Outputs);
        Assert.Equal(CellStatus.Skipped, r.Cells[4].Status);
        var ex = Assert.Throws<NotebookFailedException>(() => r.EnsureSuccess());
        Assert.Contains("cell 3", ex.Message);

        // the executed copy records the failure and leaves the later cell unexecuted
        var copy = Notebook.Load(r.OutputPath!);
        Assert.Null(copy.Cells[3].ExecutionCount);
        Assert.Empty(copy.Cells[3].Outputs);
        Assert.Equal(2, copy.Cells[2].ExecutionCount);
        Assert.Equal(3, copy.Metadata["repro"]!["failed_cell"]!.GetValue<int>());
        Assert.Empty(NotebookValidator.Validate(copy));
    }

    [Fact]
    public async Task RuntimeExceptionBecomesAnErrorOutput()
    {
        var r = await Run(
            Code("Console.WriteLine(\"before\");\nint Fail() => throw new InvalidOperationException(\"boom at runtime\");\nFail();"),
            Code("Console.WriteLine(\"after\");"));
        Assert.False(r.Succeeded);
        var error = Assert.Single(r.Cells[0].Outputs.OfType<ErrorOutput>());
        Assert.Equal("InvalidOperationException", error.EName);
        Assert.Equal("boom at runtime", error.EValue);
        Assert.Contains(error.Traceback, l => l.Contains("cell 1, line 2"));
        Assert.Equal("before\n", Stream(r.Cells[0], StreamOutput.Stdout)); // output before the exception is kept
        Assert.Equal(CellStatus.NotExecuted, r.Cells[1].Status);
        Assert.Contains("InvalidOperationException: boom at runtime", r.FailureMessage);
    }

    [Fact]
    public async Task StdoutAndStderrAreSeparateStreams()
    {
        var r = await Run(Code("Console.WriteLine(\"out 1\");\nConsole.Error.WriteLine(\"err 1\");\nConsole.Write(\"out 2\");\nawait Task.Run(() => Console.Error.WriteLine(\"err 2\"));"));
        Assert.True(r.Succeeded, Describe(r));
        Assert.Equal("out 1\nout 2", Stream(r.Cells[0], StreamOutput.Stdout));
        Assert.Equal("err 1\nerr 2\n", Stream(r.Cells[0], StreamOutput.Stderr));
        // interleaved in order: out, err, out, err
        Assert.Equal(["stdout", "stderr", "stdout", "stderr"], r.Cells[0].Outputs.OfType<StreamOutput>().Select(s => s.Name));
        Assert.NotEqual(typeof(Repro.Notebooks.Scripting.CellParser).Assembly, Console.Out.GetType().Assembly); // restored
    }

    [Fact]
    public async Task TimeDirectivePrintsWallTime()
    {
        var r = await Run(Code("#!time\nawait Task.Delay(30);\nConsole.WriteLine(\"slept\");"));
        Assert.True(r.Succeeded, Describe(r));
        var stdout = Stream(r.Cells[0], StreamOutput.Stdout);
        Assert.StartsWith("slept\n", stdout);
        var m = System.Text.RegularExpressions.Regex.Match(stdout, @"Wall time: (\d+(\.\d+)?) ms\n$");
        Assert.True(m.Success, stdout);
        Assert.True(double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= 25);
    }

    [Fact]
    public async Task ImportRunsAnotherNotebooksCodeCellsInTheSameState()
    {
        var dir = TestPaths.TempDir("nb");
        Directory.CreateDirectory(Path.Combine(dir, "shared"));
        Write(Path.Combine(dir, "shared"), "helpers.ipynb",
            Md("helpers"),
            Code("static int Square(int x) => x * x;"),
            Code("var helperLoaded = \"yes\";\nConsole.WriteLine(\"helpers ran\");"));
        File.WriteAllText(Path.Combine(dir, "shared", "more.csx"), "record Point(int X, int Y);");
        var path = Write(dir, "main.ipynb",
            Code("#!import shared/helpers.ipynb\n#!import \"shared/more.csx\"\nvar p = new Point(2, 3);"),
            Code("$\"{Square(p.Y)} {helperLoaded}\""));
        var r = await NotebookRunner.RunAsync(path);
        Assert.True(r.Succeeded, Describe(r));
        Assert.Equal("helpers ran\n", Stream(r.Cells[0], StreamOutput.Stdout));
        Assert.Equal("9 yes", r.Cells[1].ReturnValue);
    }

    [Fact]
    public async Task ImportOfAMissingFileFailsTheCell()
    {
        var r = await Run(Code("#!import nowhere.ipynb"));
        Assert.False(r.Succeeded);
        var e = Assert.Single(r.Cells[0].Outputs.OfType<ErrorOutput>());
        Assert.Equal("ImportError", e.EName);
        Assert.Contains("nowhere.ipynb", e.EValue);
    }

    [Fact]
    public async Task UnknownDirectiveIsAnErrorNamingIt()
    {
        var r = await Run(Code("#!whos\nvar x = 1;"));
        Assert.False(r.Succeeded);
        var e = Assert.Single(r.Cells[0].Outputs.OfType<ErrorOutput>());
        Assert.Equal("UnknownDirective", e.EName);
        Assert.Contains("#!whos", e.EValue);
    }

    [Fact]
    public async Task NonCSharpKernelsAreUnsupportedButCSharpSelectorsAreFine()
    {
        var fsharp = new NotebookCell(CellTypes.Code, "let x = 1", new System.Text.Json.Nodes.JsonObject
        {
            ["polyglot_notebook"] = new System.Text.Json.Nodes.JsonObject { ["kernelName"] = "fsharp" },
        });
        var r1 = await Run(fsharp);
        Assert.False(r1.Succeeded);
        Assert.Equal("UnsupportedKernel", r1.Cells[0].Error!.EName);
        Assert.Contains("fsharp", r1.Cells[0].Error!.EValue);

        var r2 = await Run(Code("#!pwsh\nGet-ChildItem"));
        Assert.False(r2.Succeeded);
        Assert.Equal("UnsupportedKernel", r2.Cells[0].Error!.EName);

        var r3 = await Run(Code("#!csharp\n1 + 1"));
        Assert.True(r3.Succeeded, Describe(r3));
        Assert.Equal(2, r3.Cells[0].ReturnValue);
    }

    [Fact]
    public async Task IncludeSourceDirectiveIsIgnoredWithANote()
    {
        var r = await Run(Code("#i \"nuget: https://example.org/feed/index.json\"\n40 + 2"));
        Assert.True(r.Succeeded, Describe(r));
        Assert.Contains("is ignored", Stream(r.Cells[0], StreamOutput.Stderr));
        Assert.Equal(42, r.Cells[0].ReturnValue);
    }

    [Fact]
    public async Task ParametersReachTheNotebookAsVariablesAndGlobals()
    {
        var options = new RunOptions { Profile = "smoke" };
        options.Parameters["max-epochs"] = "3";
        Environment.SetEnvironmentVariable("REPRO_PARAM_MAX_EPOCHS", null);
        var r = await Run(options,
            Code($"#r \"{ReproDll}\"\nusing Repro.Reporting;"),
            Code("$\"{NotebookParameters.Get(\"profile\", \"embedded\")} {NotebookParameters.GetInt(\"max-epochs\", 10)} {NotebookParameters.Profile} {Parameters[\"max-epochs\"]}\""),
            Code("Environment.GetEnvironmentVariable(\"REPRO_PARAM_PROFILE\")"));
        Assert.True(r.Succeeded, Describe(r));
        Assert.Equal("smoke 3 smoke 3", r.Cells[1].ReturnValue);
        Assert.Equal("smoke", r.Cells[2].ReturnValue);
        // restored after the run
        Assert.Null(Environment.GetEnvironmentVariable("REPRO_PARAM_MAX_EPOCHS"));
    }

    [Fact]
    public async Task ProfileDefaultsToEmbeddedAndUnknownProfilesAreRefused()
    {
        var r = await Run(Code($"#r \"{ReproDll}\"\nRepro.Reporting.NotebookParameters.Get(\"profile\", \"unset\")"));
        Assert.True(r.Succeeded, Describe(r));
        Assert.Equal("embedded", r.Cells[0].ReturnValue);
        var dir = TestPaths.TempDir("nb");
        var path = Write(dir, "p.ipynb", Code("1"));
        await Assert.ThrowsAsync<ArgumentException>(() => NotebookRunner.RunAsync(path, new RunOptions { Profile = "huge" }));
    }

    [Fact]
    public async Task WorkingDirectoryIsTheNotebooksFolder()
    {
        var dir = TestPaths.TempDir("nb");
        File.WriteAllText(Path.Combine(dir, "data.txt"), "from the notebook folder");
        var path = Write(dir, "wd.ipynb", Code("System.IO.File.ReadAllText(\"data.txt\")"));
        var before = Directory.GetCurrentDirectory();
        var r = await NotebookRunner.RunAsync(path);
        Assert.True(r.Succeeded, Describe(r));
        Assert.Equal("from the notebook folder", r.Cells[0].ReturnValue);
        Assert.Equal(before, Directory.GetCurrentDirectory());
    }

    [Fact]
    public async Task ExecutedCopyRoundTripsAndIsValid()
    {
        var dir = TestPaths.TempDir("nb");
        // an older notebook: nbformat 4.4 without cell ids, and metadata this model does not know
        var source = """
            {
             "cells": [
              {"cell_type": "markdown", "metadata": {"custom": {"keep": true}}, "source": ["# Title\n", "text"]},
              {"cell_type": "code", "execution_count": 7, "metadata": {"dotnet_interactive": {"language": "csharp"}, "polyglot_notebook": {"kernelName": "csharp"}},
               "outputs": [{"output_type": "stream", "name": "stdout", "text": ["stale output"]}],
               "source": ["Console.WriteLine(\"fresh\");\n", "display(\"shown\");\n", "6 * 7"]}
             ],
             "metadata": {
              "kernelspec": {"display_name": ".NET (C#)", "language": "C#", "name": ".net-csharp"},
              "language_info": {"name": "polyglot-notebook"},
              "polyglot_notebook": {"kernelInfo": {"defaultKernelName": "csharp", "items": [{"aliases": [], "name": "csharp"}]}},
              "unknown_tool": {"setting": [1, 2, 3]}
             },
             "nbformat": 4,
             "nbformat_minor": 4
            }
            """;
        var path = Path.Combine(dir, "old.ipynb");
        File.WriteAllText(path, source);
        var outDir = Path.Combine(dir, "executed");
        var r = await NotebookRunner.RunAsync(path, new RunOptions { OutputDirectory = outDir });
        Assert.True(r.Succeeded, Describe(r));
        Assert.Equal(Path.Combine(outDir, "old.ipynb"), r.OutputPath);

        var json = File.ReadAllText(r.OutputPath!);
        Assert.Empty(NotebookValidator.ValidateFormat(json));
        var copy = Notebook.Parse(json);
        Assert.Empty(NotebookValidator.Validate(copy));
        Assert.Equal(5, copy.NbFormatMinor);
        Assert.All(copy.Cells, c => Assert.True(Notebook.IsValidCellId(c.Id!)));
        Assert.True(copy.Metadata["unknown_tool"]!["setting"]!.AsArray().Count == 3);
        Assert.True(copy.Cells[0].Metadata["custom"]!["keep"]!.GetValue<bool>());
        var code = copy.Cells[1];
        Assert.Equal(1, code.ExecutionCount);
        Assert.Equal(["stream", "display_data", "execute_result"], code.Outputs.Select(o => o.OutputType));
        Assert.Equal("fresh\n", ((StreamOutput)code.Outputs[0]).Text);
        Assert.Equal("shown", ((DisplayDataOutput)code.Outputs[1]).Data[MimeBundle.PlainText]);
        Assert.Equal("42", ((ExecuteResultOutput)code.Outputs[2]).Data[MimeBundle.PlainText]);
        Assert.Equal(1, ((ExecuteResultOutput)code.Outputs[2]).ExecutionCount);
        // reading and writing again changes nothing
        Assert.Equal(json, copy.ToJson());
        // the source notebook is untouched
        Assert.Equal(source, File.ReadAllText(path));
    }

    [Fact]
    public async Task ExistingExecutedCopyIsNotOverwrittenUnlessAllowed()
    {
        var dir = TestPaths.TempDir("nb");
        var path = Write(dir, "once.ipynb", Code("Console.WriteLine(\"ran\");"));
        var outDir = Path.Combine(dir, "out");
        Directory.CreateDirectory(outDir);
        var existing = Path.Combine(outDir, "once.ipynb");
        File.WriteAllText(existing, "keep me");

        var e = await Assert.ThrowsAsync<OutputExistsException>(() => NotebookRunner.RunAsync(path, new RunOptions { OutputDirectory = outDir }));
        Assert.Contains(existing, e.Message);
        Assert.Contains("Overwrite", e.Message);
        Assert.Equal("keep me", File.ReadAllText(existing));

        var r = await NotebookRunner.RunAsync(path, new RunOptions { OutputDirectory = outDir, Overwrite = true });
        Assert.True(r.Succeeded, Describe(r));
        Assert.Empty(NotebookValidator.Validate(Notebook.Load(existing)));
        Assert.Empty(Directory.GetFiles(outDir, "*.tmp", SearchOption.AllDirectories).Concat(Directory.GetFiles(outDir, ".*")));
    }

    [Fact]
    public async Task DisplayAndDisplayExtensionProduceDisplayData()
    {
        var r = await Run(
            Code("display(\"via display\");\nvar h = display(1);\nh.Update(2);"),
            Code("using Microsoft.DotNet.Interactive.Formatting;\n\"via extension\".Display();\n42.Display(\"text/html\");\n\"<b>raw</b>\".DisplayAs(\"text/html\");"),
            Code("display(HTML(\"<i>html</i>\"));"));
        Assert.True(r.Succeeded, Describe(r));
        var d0 = Displays(r.Cells[0]).ToList();
        Assert.Equal(2, d0.Count);
        Assert.Equal("via display", d0[0].Data[MimeBundle.PlainText]);
        Assert.Equal("2", d0[1].Data[MimeBundle.PlainText]); // updated in place
        var d1 = Displays(r.Cells[1]).ToList();
        Assert.Equal(3, d1.Count);
        Assert.Equal("via extension", d1[0].Data[MimeBundle.PlainText]);
        Assert.Equal(["text/html"], d1[1].Data.MimeTypes);
        Assert.Equal("<b>raw</b>", d1[2].Data[MimeBundle.Html]);
        Assert.Equal("<i>html</i>", Assert.Single(Displays(r.Cells[2])).Data[MimeBundle.Html]);
    }

    [Fact]
    public async Task DisplayExtensionWorksWithDefaultImportsOnly()
    {
        // a notebook written for the real kernel relies on its default imports for x.Display()
        var r = await Run(Code("new[] { 1, 2, 3 }.Display();"));
        Assert.True(r.Succeeded, Describe(r));
        Assert.Single(Displays(r.Cells[0]));
    }

    [Fact]
    public async Task PolyglotFormatterRegistrationWorks()
    {
        var r = await Run(
            Code("record Temperature(double Celsius);\nFormatter.Register<Temperature>(t => $\"{t.Celsius} °C\", \"text/plain\");"),
            Code("new Temperature(21.5)"));
        Assert.True(r.Succeeded, Describe(r));
        Assert.Equal("21.5 °C", Result(r.Cells[1])!.Data[MimeBundle.PlainText]);
    }
}
