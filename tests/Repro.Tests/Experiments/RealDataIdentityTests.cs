using Repro.Experiments;

namespace Repro.Tests.Experiments;

/// <summary>Runs on real image-text data carry the version of the text encoding; stand-in runs and other datasets do not.</summary>
public class RealDataIdentityTests
{
    [Theory]
    [InlineData("food101", "/data/food101", 2)]
    [InlineData("mmimdb", "/data/mmimdb", 2)]
    [InlineData("food101:map", "/data/food101", 2)]
    [InlineData("food101", null, null)]
    [InlineData("cremad", "/data/cremad", null)]
    public void RealImageTextRunsRecordTheTextEncoding(string dataset, string? root, int? expected)
    {
        var json = ExperimentRunner.TrainSpec(dataset, Profile.Smoke, "concat", dataRoot: root).ToJson();
        Assert.Equal(expected, json["realData"]?.GetValue<int>());
    }

    [Fact]
    public void TheMarkChangesTheRunKey()
    {
        var real = ExperimentRunner.TrainSpec("food101", Profile.Smoke, "concat", dataRoot: "/data/food101");
        var json = real.ToJson();
        json.Remove("realData");
        Assert.NotEqual(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(json.ToJsonString())))[..10],
            real.Key[^10..]);
    }
}
