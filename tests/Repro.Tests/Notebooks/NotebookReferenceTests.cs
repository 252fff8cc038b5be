using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Repro.Notebooks;
using Repro.Notebooks.Scripting;
using Repro.Reporting;
using static Repro.Tests.Notebooks.NotebookKit;

namespace Repro.Tests.Notebooks;

[Collection(NotebookCollection.Name)]
public class NotebookReferenceTests
{
    [Fact]
    public void HostPackagesAreReadFromTheDepsFile()
    {
        var host = HostPackages.Current;
        var torch = host.Find("TorchSharp-cpu");
        Assert.NotNull(torch);
        Assert.Equal("0.107.0", torch.Version);
        Assert.Contains("TorchSharp", host.AssemblyClosure(torch)); // the meta-package's assemblies come from its dependency
        Assert.Contains(host.DirectPackages, p => p.Id == "Plotly.NET");
        Assert.Contains("FSharp.Core", host.AssemblyClosure(host.Find("plotly.net")!)); // ids are case-insensitive
    }

    [Fact]
    public void DepsJsonParsingKeepsPackagesAndDirectDependencies()
    {
        var host = HostPackages.FromDepsJson("""
            {
              "runtimeTarget": {"name": ".NETCoreApp,Version=v10.0"},
              "targets": {".NETCoreApp,Version=v10.0": {
                "App/1.0.0": {"dependencies": {"A": "1.0.0", "Lib": "1.0.0"}, "runtime": {"App.dll": {}}},
                "Lib/1.0.0": {"dependencies": {"B": "2.0.0"}, "runtime": {"Lib.dll": {}}},
                "A/1.0.0": {"dependencies": {"B": "2.0.0"}},
                "B/2.0.0": {"runtime": {"lib/net8.0/B.Core.dll": {}, "lib/net8.0/B.Extra.dll": {}}}
              }},
              "libraries": {
                "App/1.0.0": {"type": "project"}, "Lib/1.0.0": {"type": "project"},
                "A/1.0.0": {"type": "package"}, "B/2.0.0": {"type": "package"}
              }
            }
            """);
        Assert.Equal(["A", "B"], host.Packages.Select(p => p.Id).Order());
        Assert.Equal(["A", "B"], host.DirectPackages.Select(p => p.Id));
        Assert.Equal(["B.Core", "B.Extra"], host.AssemblyClosure(host.Find("a")!));
    }

    [Theory]
    [InlineData("0.107.0", "0.107.0", true)]
    [InlineData("0.107", "0.107.0", true)]
    [InlineData("0.106.0", "0.107.0", false)]
    [InlineData("*", "0.107.0", true)]
    [InlineData("[0.100,)", "0.107.0", true)]
    [InlineData("1.0.0-beta", "1.0.0", false)]
    public void VersionComparison(string requested, string restored, bool same) =>
        Assert.Equal(same, ReferenceResolver.SameVersion(requested, restored));

    [Fact]
    public async Task NuGetTorchSharpThenATensorOperation()
    {
        var r = await Run(
            Code("#r \"nuget: TorchSharp-cpu, 0.107.0\"\nusing TorchSharp;\nusing static TorchSharp.torch;"),
            Code("var t = ones(2, 3) * 2;\nt.sum().item<float>()"));
        Assert.True(r.Succeeded, Describe(r));
        Assert.Equal(12f, r.Cells[1].ReturnValue);
        Assert.Equal("", Stream(r.Cells[0], StreamOutput.Stderr)); // the restored version: no warning
    }

    [Fact]
    public async Task NuGetWithAnotherVersionWarnsAndUsesTheKitsVersion()
    {
        var r = await Run(Code("#r \"nuget: Plotly.NET, 5.0.0\"\ntypeof(Plotly.NET.GenericChart).Assembly.GetName().Name"));
        Assert.True(r.Succeeded, Describe(r));
        Assert.Equal("Plotly.NET", r.Cells[0].ReturnValue);
        var err = Stream(r.Cells[0], StreamOutput.Stderr);
        Assert.Contains("warning", err);
        Assert.Contains("6.0.0", err);
    }

    [Fact]
    public async Task UnknownPackageIsAClearError()
    {
        var r = await Run(Code("#r \"nuget: Some.Unknown.Package\"\nvar x = 1;"));
        Assert.False(r.Succeeded);
        var e = r.Cells[0].Error!;
        Assert.Equal("PackageNotAvailable", e.EName);
        Assert.Contains("package Some.Unknown.Package is not available to the headless runner", e.EValue);
        Assert.Contains("it can only use the kit's own dependencies:", e.EValue);
        Assert.Contains("TorchSharp-cpu 0.107.0", e.EValue);
        Assert.Contains("Some.Unknown.Package", r.FailureMessage);
    }

    [Fact]
    public async Task PlotlyNetInteractiveIsAcceptedAndBringsPlotlyNet()
    {
        var r = await Run(
            Code("#r \"nuget: Plotly.NET.Interactive, 4.2.1\"\n#r \"nuget: Microsoft.DotNet.Interactive.Formatting, 1.0.0-beta.23562.1\""),
            Code($"using Plotly.NET;\nvar chart = {LineChart("new double[] { 1, 2 }", "new double[] { 3, 4 }")};\nchart"));
        Assert.True(r.Succeeded, Describe(r));
        Assert.Equal("", Stream(r.Cells[0], StreamOutput.Stderr));
        Assert.NotNull(Result(r.Cells[1])!.Data.GetNode(PlotlyFigure.MimeType));
    }

    [Fact]
    public async Task PathReferenceToAnAlreadyLoadedAssemblyKeepsTypeIdentity()
    {
        // the notebook points at a copy of Repro.dll elsewhere (as a lesson points at lib/Repro/bin/...)
        var dir = TestPaths.TempDir("nb");
        Directory.CreateDirectory(Path.Combine(dir, "lib"));
        File.Copy(ReproDll, Path.Combine(dir, "lib", "Repro.dll"));
        var path = Write(dir, "ref.ipynb",
            Code("#r \"lib/Repro.dll\"\nusing Repro.Reporting;"),
            Code("typeof(HtmlPage)"),
            Code("new HtmlPage(\"t\")"));
        var r = await NotebookRunner.RunAsync(path);
        Assert.True(r.Succeeded, Describe(r));
        Assert.Same(typeof(Repro.Reporting.HtmlPage), r.Cells[1].ReturnValue);
        Assert.IsType<Repro.Reporting.HtmlPage>(r.Cells[2].ReturnValue);
        Assert.Equal("", Stream(r.Cells[0], StreamOutput.Stderr));
    }

    [Fact]
    public async Task PathReferenceToAMissingCopyOfALoadedAssemblyUsesTheLoadedOneSilently()
    {
        // a lesson's #r "../lib/Repro.Cli/bin/Debug/..." run by a CLI built elsewhere: the host's Repro, and no note in
        // the executed copy (the reference means the same either way)
        var r = await Run(Code("#r \"../lib/Repro/bin/Release/net10.0/Repro.dll\"\ntypeof(Repro.Reporting.HtmlPage)"));
        Assert.True(r.Succeeded, Describe(r));
        Assert.Same(typeof(Repro.Reporting.HtmlPage), r.Cells[0].ReturnValue);
        Assert.Empty(r.Cells[0].Outputs.OfType<StreamOutput>());
    }

    [Fact]
    public async Task PathReferenceToANewAssemblyLoadsIt()
    {
        var dir = TestPaths.TempDir("nb");
        var name = "NotebookRefProbe" + Guid.NewGuid().ToString("N")[..8];
        var dll = Path.Combine(dir, "bin", name + ".dll");
        Directory.CreateDirectory(Path.GetDirectoryName(dll)!);
        var compilation = CSharpCompilation.Create(name,
            [CSharpSyntaxTree.ParseText($"namespace {name} {{ public static class Probe {{ public static string Hello(string who) => \"hello \" + who; }} }}")],
            [MetadataReference.CreateFromFile(typeof(object).Assembly.Location)],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var emit = compilation.Emit(dll);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics));
        var path = Write(dir, "new.ipynb", Code($"#r \"bin/{name}.dll\"\n{name}.Probe.Hello(\"notebook\")"));
        var r = await NotebookRunner.RunAsync(path);
        Assert.True(r.Succeeded, Describe(r));
        Assert.Equal("hello notebook", r.Cells[0].ReturnValue);
    }

    [Fact]
    public async Task PathReferenceToAMissingUnknownFileFails()
    {
        var r = await Run(Code("#r \"nothing/Here.Nowhere.dll\""));
        Assert.False(r.Succeeded);
        Assert.Equal("ReferenceNotFound", r.Cells[0].Error!.EName);
        Assert.Contains("Here.Nowhere.dll", r.Cells[0].Error!.EValue);
    }

    [Fact]
    public async Task ReferenceByAssemblyName()
    {
        var r = await Run(Code("#r \"System.Xml.ReaderWriter\"\nnew System.Xml.XmlDocument().GetType().Name"));
        Assert.True(r.Succeeded, Describe(r));
        Assert.Equal("XmlDocument", r.Cells[0].ReturnValue);
    }
}
