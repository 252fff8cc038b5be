namespace Repro.Tests;

/// <summary>A missing tool the kit installs is a skip on a developer's machine and a failure under CI=true.</summary>
public class RequiresTests
{
    static Exception? Missing(string? ci)
    {
        var before = Environment.GetEnvironmentVariable("CI");
        Environment.SetEnvironmentVariable("CI", ci);
        try { return Record.Exception(() => Requires.InstallableTool(false, "needs a tool")); }
        finally { Environment.SetEnvironmentVariable("CI", before); }
    }

    [Fact]
    public void AMissingInstallableToolSkipsOutsideCiAndFailsInCi()
    {
        Assert.IsType<SkipException>(Missing(null));
        var inCi = Missing("true");
        Assert.IsNotType<SkipException>(inCi);
        Assert.Contains("CI=true and needs a tool", Assert.IsAssignableFrom<Xunit.Sdk.XunitException>(inCi).Message);
        Assert.Null(Record.Exception(() => Requires.InstallableTool(true, "present")));
    }

    [Fact]
    public void DataNoCiHasIsASkipEvenInCi()
    {
        var before = Environment.GetEnvironmentVariable("CI");
        Environment.SetEnvironmentVariable("CI", "true");
        try
        {
            var e = Record.Exception(() => Requires.FileFromEnvironment("REPRO_TEST_NO_SUCH_VARIABLE", "a file"));
            Assert.Equal("set REPRO_TEST_NO_SUCH_VARIABLE to a file to run this check", Assert.IsType<SkipException>(e).Message);
        }
        finally { Environment.SetEnvironmentVariable("CI", before); }
    }
}
