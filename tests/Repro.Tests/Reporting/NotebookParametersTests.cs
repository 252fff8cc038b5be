using Repro.Reporting;
using Repro.Training;

namespace Repro.Tests.Reporting;

/// <summary>The typed getters lessons read their parameters with (each test uses its own names: the variables are process-wide).</summary>
public class NotebookParametersTests
{
    static T With<T>(string name, string? value, Func<T> read)
    {
        var variable = NotebookParameters.VariableName(name);
        var saved = Environment.GetEnvironmentVariable(variable);
        Environment.SetEnvironmentVariable(variable, value);
        try { return read(); }
        finally { Environment.SetEnvironmentVariable(variable, saved); }
    }

    [Fact]
    public void UnsetGivesTheDefaultAndSetValuesParse()
    {
        Assert.Equal(7, With("np-int", null, () => NotebookParameters.GetInt("np-int", 7)));
        Assert.Equal(3, With("np-int", "3", () => NotebookParameters.GetInt("np-int", 7)));
        Assert.Equal(0.25, With("np-double", "0.25", () => NotebookParameters.GetDouble("np-double", 1)));
        Assert.True(With("np-bool", "yes", () => NotebookParameters.GetBool("np-bool", false)));
        Assert.Equal("x", With("np-string", "", () => NotebookParameters.Get("np-string", "x"))); // empty is unset
    }

    [Fact]
    public void ChoicesAreMatchedIgnoringCaseAndRefusedWithTheClosest()
    {
        string Dataset(string? v) => With("np-dataset", v, () => NotebookParameters.GetChoice("np-dataset", "cremad", "cremad", "ks", "food101"));
        Assert.Equal("cremad", Dataset(null));
        Assert.Equal("ks", Dataset("KS"));
        var e = Assert.Throws<ArgumentException>(() => Dataset("food10"));
        Assert.Contains("REPRO_PARAM_NP_DATASET='food10' is not one of: cremad, ks, food101; did you mean food101?", e.Message);
        Assert.Throws<ArgumentException>(() => NotebookParameters.GetChoice("np-dataset", "mmimdb", "cremad", "ks"));
    }

    [Fact]
    public void EnumsAcceptTheCommandLineSpelling()
    {
        Assert.Equal(Selection.TestBest, With("np-selection", "test-best", () => NotebookParameters.GetEnum("np-selection", Selection.Validation)));
        Assert.Equal(Selection.Validation, With("np-selection", null, () => NotebookParameters.GetEnum("np-selection", Selection.Validation)));
        var e = Assert.Throws<ArgumentException>(() => With("np-selection", "best", () => NotebookParameters.GetEnum("np-selection", Selection.Validation)));
        Assert.Contains("is not one of: Validation, TestBest", e.Message);
    }

    [Fact]
    public void ListsAreCommaSeparated()
    {
        Assert.Equal(["Concat", "MLA"], With("np-columns", " Concat, MLA ,", () => NotebookParameters.GetList("np-columns", ["x"])));
        Assert.Equal(["x"], With("np-columns", null, () => NotebookParameters.GetList("np-columns", ["x"])));
        Assert.Equal([0, 1, 2], With("np-seeds", "0,1,2", () => NotebookParameters.GetIntList("np-seeds", [0])));
        Assert.Equal([0.1, 0.7], With("np-rates", "0.1, 0.7", () => NotebookParameters.GetDoubleList("np-rates", [])));
        var e = Assert.Throws<ArgumentException>(() => With("np-seeds", "0,one", () => NotebookParameters.GetIntList("np-seeds", [0])));
        Assert.Contains("REPRO_PARAM_NP_SEEDS='0,one' is not valid: expected a comma-separated list of integers", e.Message);
    }

    [Fact]
    public void ClosestNamesSuggestsNearMisspellingsOnly()
    {
        Assert.Equal(["dataset"], ClosestNames.Of("datset", ["dataset", "profile", "seeds"]));
        Assert.Equal(["seeds"], ClosestNames.Of("seed", ["dataset", "profile", "seeds"]));
        Assert.Empty(ClosestNames.Of("learning-rate", ["dataset", "profile", "seeds"]));
    }
}
