using Repro.Parity;
using Xunit.Abstractions;

namespace Repro.Tests.Parity;

/// <summary>
/// Replays every fixture of tests/fixtures/parity and requires it within the fixture's tolerance; a fixture whose
/// method the kit does not implement (a new fixture, a renamed method) fails.
/// </summary>
public class ParityFixtureTests(ITestOutputHelper output)
{
    public static TheoryData<string> Fixtures()
    {
        var data = new TheoryData<string>();
        foreach (var f in ParityFixture.Find(TestPaths.Parity)) data.Add(Path.GetFileName(f));
        return data;
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void EveryFixtureMatchesTheOfficialCode(string fixture) => AssertReplays(Path.Combine(TestPaths.Parity, fixture), output.WriteLine);

    static void AssertReplays(string path, Action<string> log)
    {
        var report = ParityReplay.Run(path);
        log(report.Summary());
        Assert.True(report.Implemented, $"{Path.GetFileName(path)}: the kit has no method '{report.Method}' to replay it with (a renamed method, or a fixture of a method not implemented).");
        Assert.True(report.Passed, report.Summary());
    }

    [Fact]
    public void AFixtureOfAMethodTheKitLacksFails()
    {
        var path = ParityVariants.Copy("joint-sum-a", json => json["method"] = "joint-renamed");
        var e = Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => AssertReplays(path, _ => { }));
        Assert.Contains("no method 'joint-renamed'", e.Message);
    }

    [Fact]
    public void TheJointFixturesAreReplayed()
    {
        var joint = ParityFixture.Find(TestPaths.Parity).Where(f => Path.GetFileName(f).StartsWith("joint-")).ToList();
        Assert.NotEmpty(joint);
        Assert.All(joint, f => Assert.True(ParityReplay.Supports(ParityFixture.Load(f).Method)));
    }

    [Fact]
    public void AReplayThatDriftsFails()
    {
        // The same fixture with a tolerance a thousand times tighter than its own error must fail.
        var path = ParityVariants.Copy("joint-sum-a", json => json["tolerance"] = new System.Text.Json.Nodes.JsonObject { ["atol"] = 1e-12, ["rtol"] = 0.0 });
        var report = ParityReplay.Run(path);
        Assert.True(report.Implemented);
        Assert.False(report.Passed, report.Summary());
    }
}
