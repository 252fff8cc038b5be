using Repro.Notebooks;
using Repro.Reporting;
using static Repro.Tests.Notebooks.NotebookKit;

namespace Repro.Tests.Notebooks;

/// <summary>
/// A cell can read its own source's hash (for a method variant defined in a lesson: editing the cell must give its
/// runs a new identity, an unchanged cell the same one).
/// </summary>
[Collection(NotebookCollection.Name)]
public class CellSourceTests
{
    const string Variant = "// a variant of the method, defined here\nvar version = CellSource.Current?.Hash ?? \"v1\";\nversion";

    static async Task<string> HashOfVariantCell(string variantCell)
    {
        var r = await Run(Code($"#r \"{ReproDll}\"\nusing Repro.Reporting;"), Code(variantCell), Code("CellSource.Current!.Hash"));
        Assert.True(r.Succeeded, Describe(r));
        Assert.NotEqual(r.Cells[1].ReturnValue, r.Cells[2].ReturnValue); // each cell sees its own source
        return (string)r.Cells[1].ReturnValue!;
    }

    [Fact]
    public async Task TheRunnerGivesEachCellItsOwnSourceHash()
    {
        var hash = await HashOfVariantCell(Variant);
        Assert.Equal(CellSource.HashOf(Variant), hash);
        Assert.Matches("^[0-9a-f]{16}$", hash);
        Assert.Equal(hash, await HashOfVariantCell(Variant)); // unchanged cell, same hash, in another run
        Assert.NotEqual(hash, await HashOfVariantCell(Variant.Replace("defined here", "defined here, edited")));
        Assert.Null(CellSource.Current); // outside a run (and outside .NET Interactive)
    }

    [Fact]
    public void TheHashIgnoresWhatNotebookHostsAddOrStrip()
    {
        var h = CellSource.HashOf("var x = 1;\nvar y = 2;");
        Assert.Equal(h, CellSource.HashOf("#r \"nuget: Plotly.NET\"\r\nvar x = 1;   \r\nvar y = 2;\r\n\r\n"));
        Assert.Equal(h, CellSource.HashOf("#!csharp\n\nvar x = 1;\nvar y = 2;"));
        Assert.NotEqual(h, CellSource.HashOf("var x = 1;\nvar y = 3;"));
        Assert.NotEqual(h, CellSource.HashOf("var x = 1; // a comment\nvar y = 2;"));
    }
}
