using Repro.Experiments;
using Repro.Experiments.Datasets;
using static Repro.Tests.Cli.CliHarness;

namespace Repro.Tests.Cli;

/// <summary>
/// A typo in a method option or a dataset setting is refused before anything runs, in one line that names the closest
/// valid names; a bad value names the option, the value and what is allowed; `repro methods NAME` shows what a method takes.
/// </summary>
[Collection("Console")]
public class NamingErrorsCliTests
{
    [Fact]
    public void ATypoInAnOptionIsRefusedWithTheClosestName()
    {
        var results = TestPaths.TempDir("typo-option");
        var (code, _, err) = Run("train", "--method", "mla", "--option", "hgn=off", "--profile", "smoke", "--results", results);
        Assert.Equal(1, code);
        Assert.StartsWith("error: Method mla: unknown option 'hgn' (did you mean 'hgm'?)", err);
        Assert.Contains("repro methods mla", err);
        Assert.False(HasStackTrace(err), err);
        Assert.False(Directory.Exists(Path.Combine(results, "runs")), "nothing may be trained under a misspelt option");
    }

    [Fact]
    public void ABadValueNamesTheOptionTheValueAndWhatIsAllowed()
    {
        var (code, _, err) = Run("train", "--method", "mla", "--option", "hgm=paperr", "--profile", "smoke", "--results", TestPaths.TempDir("bad-value"));
        Assert.Equal(1, code);
        Assert.Contains("option hgm=paperr: expected one of paper, official, released, balancebenchmark, off (did you mean 'paper'?)", err);
        (code, _, err) = Run("train", "--method", "mla", "--option", "hgm_alpha=-1", "--profile", "smoke", "--results", TestPaths.TempDir("bad-number"));
        Assert.Equal(1, code);
        Assert.Contains("option hgm_alpha=-1: expected number > 0", err);
        Assert.False(HasStackTrace(err), err);
    }

    [Fact]
    public void ATypoInADatasetSettingOrProtocolIsRefusedWithTheClosestName()
    {
        var (code, _, err) = Run("train", "--method", "mla", "--dataset", "iemocap:fodl=3", "--profile", "smoke", "--results", TestPaths.TempDir("typo-setting"));
        Assert.Equal(1, code);
        Assert.Contains("unknown setting 'fodl' (did you mean 'fold'?)", err);
        Assert.False(HasStackTrace(err), err);
        (code, _, err) = Run("synth", "cremad:mlaa", "--out", TestPaths.TempDir("typo-protocol"));
        Assert.Equal(1, code);
        Assert.Contains("no protocol 'mlaa' (did you mean 'mla'?)", err);
        // lessons name runs in code: the same check, before a finished run is looked up
        var e = Assert.Throws<ArgumentException>(() => ExperimentRunner.TrainSpec("iemocap:missing-rat=0.3", Profile.Smoke, "mla"));
        Assert.Contains("'missing-rat' (did you mean 'missing-rate'", e.Message);
    }

    [Fact]
    public void MethodsNameListsTheOptionsWithChoicesAndDefaults()
    {
        var (code, output, err) = Run("methods", "mla");
        Assert.True(code == 0, err);
        Assert.Contains("hgm = paper | official | released | balancebenchmark | off    default: paper", output);
        Assert.Contains("schedule = paper | official    default: paper", output);
        Assert.Contains("fusion = entropy | official-batch-entropy | fixed | mean    default: entropy", output);
        Assert.Contains("[MLA §3.2 eq. 3-5", output);   // where an option comes from
        Assert.Contains("hgm_alpha = number > 0", output);

        (code, output, err) = Run("methods");
        Assert.True(code == 0, err);
        var mla = output.Split('\n').Single(l => l.StartsWith("mla ", StringComparison.Ordinal));
        Assert.DoesNotContain("hgm", mla);   // the list stays one line per method
        Assert.DoesNotContain("hgm =", output);

        (code, _, err) = Run("methods", "mlaa");
        Assert.Equal(1, code);
        Assert.Contains("did you mean 'mla'?", err);
    }

    [Fact]
    public void DatasetHelpListsTheRegisteredDatasets()
    {
        var (_, output, _) = Run("train", "--help");
        foreach (var d in DatasetRegistry.All) Assert.Contains($"{d.Id} ({string.Join("|", d.Protocols)})", output);
    }
}
