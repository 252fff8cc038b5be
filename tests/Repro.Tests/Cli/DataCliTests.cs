using static Repro.Tests.Cli.CliHarness;

namespace Repro.Tests.Cli;

/// <summary>`repro synth` for every dataset, `repro data verify` (zero exit on a good root, non-zero naming the file on a damaged one), `repro train` on a new dataset.</summary>
[Collection("Console")]
public class DataCliTests
{
    [Theory]
    [InlineData("food101", "map")]
    [InlineData("mmimdb", null)]
    [InlineData("iemocap", null)]
    [InlineData("ks", "dgl")]
    [InlineData("mvsa", null)]
    [InlineData("vggsound", null)]
    public void SynthThenVerifyPassesAndADamagedCopyFails(string dataset, string? protocol)
    {
        var dir = Path.Combine(TestPaths.TempDir("synth"), "standin");
        var args = new List<string> { "synth", dataset, "--out", dir, "--train-per-class", "2", "--test-per-class", "1" };
        if (protocol is not null) args.AddRange(["--protocol", protocol]);
        var (code, output, err) = Run([.. args]);
        Assert.True(code == 0, err);
        Assert.Contains("manifest", output);
        (code, output, err) = Run("data", "verify", Path.Combine(dir, "manifest.json"), "--root", dir);
        Assert.True(code == 0, output + err);
        Assert.Contains("verified", output);

        var victim = Directory.GetFiles(dir, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith("manifest.json")).Order().Last();
        File.AppendAllText(victim, "x");
        (code, output, _) = Run("data", "verify", Path.Combine(dir, "manifest.json"), "--root", dir);
        Assert.Equal(1, code);
        Assert.Contains(victim, output);
        Assert.Contains("FAIL", output);
    }

    [Fact]
    public void VerifyFindsManifestsByNameAndRefusesAMissingRoot()
    {
        var (code, output, _) = Run("data", "verify", "cremad-ogm-ge", "--root", Path.Combine(TestPaths.TempDir("none"), "absent"));
        Assert.Equal(1, code);
        Assert.Contains("folder not found", output);
        (code, _, var err) = Run("data", "verify", "no-such-manifest", "--root", ".");
        Assert.Equal(1, code);
        Assert.Contains("no-such-manifest", err);
    }

    [Fact]
    public void TrainRunsOnAStandInGivenWithData()
    {
        var dir = Path.Combine(TestPaths.TempDir("synth"), "iemocap");
        Assert.Equal(0, Run("synth", "iemocap", "--out", dir, "--train-per-class", "10", "--test-per-class", "5").Code);
        var (code, output, err) = Run("train", "--method", "concat", "--dataset", "iemocap:fold=3", "--data", dir, "--profile", "smoke", "--results", TestPaths.TempDir("results"));
        Assert.True(code == 0, err);
        Assert.Contains("acc_text", output);
    }

    [Fact]
    public void PrepareRefusesAnUnknownDatasetAndAMissingRawFolder()
    {
        var (code, _, err) = Run("data", "prepare", "nope", "--raw", ".", "--out", TestPaths.TempDir("out"));
        Assert.Equal(1, code);
        Assert.Contains("nope", err);
        (code, _, err) = Run("data", "prepare", "iemocap", "--raw", "/no/such/raw", "--out", TestPaths.TempDir("out"));
        Assert.Equal(1, code);
        Assert.Contains("/no/such/raw", err);
    }
}
