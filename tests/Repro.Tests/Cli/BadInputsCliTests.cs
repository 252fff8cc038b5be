using static Repro.Tests.Cli.CliHarness;

namespace Repro.Tests.Cli;

/// <summary>Damaged files of a dataset are all named in one clean error (the stack trace only with --verbose).</summary>
[Collection("Console")]
public class BadInputsCliTests
{
    [Fact]
    public void EveryDamagedWavIsListedInOneCleanError()
    {
        var data = TestPaths.TempDir("cremad-damaged");
        var (code, _, err) = Run("synth", "cremad", "--out", data, "--train-per-class", "2", "--test-per-class", "1");
        Assert.True(code == 0, err);
        var wavs = Directory.GetFiles(Path.Combine(data, "AudioWAV"), "*.wav").Order(StringComparer.Ordinal).ToArray();
        var damaged = new[] { wavs[0], wavs[^1] };
        foreach (var w in damaged)
            using (var f = File.OpenWrite(w)) f.SetLength(30);   // inside the fmt chunk: a truncated download

        var results = TestPaths.TempDir("cremad-damaged-results");
        (code, _, err) = Run("train", "--method", "concat", "--data", data, "--profile", "smoke", "--results", results);
        Assert.Equal(1, code);
        var error = err.Split('\n').First(l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.Contains("2 bad inputs", error);
        foreach (var w in damaged) Assert.Contains($"{w}: ", err);
        Assert.Contains("truncated", err);
        Assert.False(HasStackTrace(err), err);
        Assert.DoesNotContain("AggregateException", err);
        Assert.Empty(Directory.Exists(Path.Combine(results, "runs")) ? Directory.GetFiles(Path.Combine(results, "runs"), "run.json", SearchOption.AllDirectories) : []);

        (code, _, err) = Run("train", "--method", "concat", "--data", data, "--profile", "smoke", "--results", results, "--verbose");
        Assert.Equal(1, code);
        Assert.True(HasStackTrace(err), err);
    }
}
