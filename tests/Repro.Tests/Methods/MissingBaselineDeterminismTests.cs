using Repro.Methods;

namespace Repro.Tests.Methods;

[Collection(Repro.Tests.Training.TrainingCollection.Name)]
public class MissingBaselineDeterminismTests
{
    [Theory]
    [InlineData("dccae")]
    [InlineData("if-mmin")]
    [InlineData("tate")]
    public void TheSameSeedGivesTheSameNumbersOnCpu(string method)
    {
        var options = method switch
        {
            "dccae" => new[] { ("hidden", "32") },
            "tate" => [("att_dim", "32")],
            _ => [],
        };
        var a = MissingBaselineKit.SmokeRun(method, options);
        var b = MissingBaselineKit.SmokeRun(method, options);
        Assert.Equal(a.History.Count, b.History.Count);
        for (int e = 0; e < a.History.Count; e++)
        {
            Assert.Equal(a.History[e].TrainLosses, b.History[e].TrainLosses);
            Assert.Equal(a.History[e].Test, b.History[e].Test);
        }
    }
}
