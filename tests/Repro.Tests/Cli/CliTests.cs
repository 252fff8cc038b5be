using static Repro.Tests.Cli.CliHarness;

namespace Repro.Tests.Cli;

/// <summary>The `repro` commands, invoked in-process as a user types them.</summary>
[Collection("Console")]
public class CliTests
{
    [Fact]
    public void ReproduceWritesTheTableAndReusesFinishedRuns()
    {
        var results = TestPaths.TempDir("results");
        var (code, output, err) = Run("reproduce", "mla-table1", "--dataset", "cremad", "--profile", "smoke", "--results", results, "--columns", "Concat");
        Assert.True(code == 0, err);
        Assert.Contains("Multi ours", output);
        Assert.Contains("61.56", output); // the paper's Concat multi accuracy printed beside ours
        var dir = Path.Combine(results, "mla-table1", "cremad-smoke-validation");
        foreach (var f in new[] { "table.csv", "table.json", "table.html" }) Assert.True(File.Exists(Path.Combine(dir, f)), f);
        Assert.Contains("<script", File.ReadAllText(Path.Combine(dir, "table.html")));
        var runJson = Directory.GetFiles(Path.Combine(results, "runs"), "run.json", SearchOption.AllDirectories).Single();
        var stamp = File.GetLastWriteTimeUtc(runJson);

        (code, _, err) = Run("reproduce", "mla-table1", "--dataset", "cremad", "--profile", "smoke", "--results", results, "--columns", "Concat");
        Assert.True(code == 0, err);
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(runJson));
    }

    [Fact]
    public void SynthRefusesANonEmptyFolderWithoutForce()
    {
        var dir = TestPaths.TempDir("synth");
        var (code, output, err) = Run("synth", "cremad", "--out", dir, "--train-per-class", "2", "--test-per-class", "1");
        Assert.True(code == 0, err);
        Assert.Contains("train 12, test 6", output);
        (code, _, err) = Run("synth", "cremad", "--out", dir, "--train-per-class", "2", "--test-per-class", "1");
        Assert.Equal(1, code);
        Assert.Contains(dir, err);
        Assert.Contains("--force", err);
    }

    [Fact]
    public void ParityExitsZeroOnlyWhenEveryFixturePasses()
    {
        Assert.Equal(0, Run("parity", Path.Combine(TestPaths.Parity, "joint-concat-a.json")).Code);
        var dir = TestPaths.TempDir("parity");
        File.WriteAllText(Path.Combine(dir, "unknown-a.json"), """{"method": "no-such-method", "name": "unknown-a"}""");
        var (code, output, _) = Run("parity", dir);
        Assert.Equal(1, code);
        Assert.Contains("not implemented", output);
    }

    [Fact]
    public void UnknownNamesGetOneClearLine()
    {
        var (code, _, err) = Run("train", "--method", "no-such-method", "--profile", "smoke");
        Assert.Equal(1, code);
        Assert.StartsWith("error: Unknown method 'no-such-method'", err);
        (code, _, err) = Run("reproduce", "no-such-table");
        Assert.Equal(1, code);
        Assert.Contains("Unknown experiment", err);
    }

    [Fact]
    public void U2aParamsPrintsTheFullSizeCountsBesideThePapers()
    {
        var (code, output, err) = Run("u2a", "params", "--config", "ks");
        Assert.True(code == 0, err);
        Assert.Contains("trainable 172,831", output);
        Assert.Contains("172.16 M", output);
        (code, _, err) = Run("u2a", "params", "--config", "nope");
        Assert.Equal(1, code);
        Assert.Contains("Unknown U2A configuration 'nope'", err);
    }
}

/// <summary>Tests that redirect Console run alone.</summary>
[CollectionDefinition("Console", DisableParallelization = true)]
public sealed class ConsoleCollection;
