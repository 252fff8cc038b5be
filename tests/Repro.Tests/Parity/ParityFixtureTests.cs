using Repro.Parity;
using Xunit.Abstractions;

namespace Repro.Tests.Parity;

/// <summary>
/// Replays every fixture of tests/fixtures/parity whose method the kit implements, and requires it within the
/// fixture's tolerance; fixtures of methods not implemented yet are listed, not hidden.
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
    public void ImplementedMethodsMatchTheOfficialCode(string fixture)
    {
        var report = ParityReplay.Run(Path.Combine(TestPaths.Parity, fixture));
        output.WriteLine(report.Summary());
        if (!report.Implemented)
        {
            output.WriteLine($"not implemented yet: {report.Method}");
            return;
        }
        Assert.True(report.Passed, report.Summary());
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
        var dir = TestPaths.TempDir();
        var src = Path.Combine(TestPaths.Parity, "joint-sum-a.json");
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(src))!.AsObject();
        json["tolerance"] = new System.Text.Json.Nodes.JsonObject { ["atol"] = 1e-12, ["rtol"] = 0.0 };
        json["tensors"] = Path.Combine(TestPaths.Parity, "joint-sum-a.safetensors");
        var path = Path.Combine(dir, "joint-sum-tight.json");
        File.WriteAllText(path, json.ToJsonString());
        var report = ParityReplay.Run(path);
        Assert.True(report.Implemented);
        Assert.False(report.Passed, report.Summary());
    }
}
