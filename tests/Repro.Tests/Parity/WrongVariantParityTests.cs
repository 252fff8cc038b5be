using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace Repro.Tests.Parity;

/// <summary>
/// One negative replay per method family: the fixture with one option set to a neighbouring variant (the one a slip
/// would select) must replay without error and still miss the official numbers at the fixture's own tolerance, so a
/// green parity test says the variant matters, not only that the replay runs.
/// </summary>
public class WrongVariantParityTests(ITestOutputHelper output)
{
    public static TheoryData<string, string, string> Variants() => new()
    {
        { "joint-film-a", "conditioned_by", "\"visual\"" },
        { "joint-gated-a", "gate_from", "\"visual\"" },
        { "mla-official-hgm-a", "hgm", "\"released\"" },
        { "mla-released-a", "hgm", "\"official\"" },
        { "mla-bb-a", "hgm", "\"official\"" },
        { "mla3-official-hgm-a", "hgm", "\"paper\"" },
        { "dgl-gated-a", "gated_detach", "\"features\"" },
        { "dgl-gated-a", "unimodal_logits", "\"paper\"" },
        { "dgl-sum-a", "unimodal_logits", "\"paper\"" },
        { "dgl-concat-a", "truncation", "\"none\"" },
        { "ogmge-concat-a", "alpha", "0" },
        { "ogmge-sum-a", "variant", "\"OGM\"" },
        { "ogm-bb-a", "modulate", "\"conv4d\"" },
        { "qmf-av-a", "dynamic_fusion", "false" },
        { "qmf-ti-a", "dynamic_fusion", "false" },
        { "pmr-concat-a", "alpha", "0" },
        { "agm-concat-a", "alpha", "0" },
        { "mmpareto-av-a", "gamma", "1" },
        { "dr-concat-a", "move_lambda", "0" },
        { "gblending-concat-a", "super_epoch", "4" },
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public void TheWrongVariantMissesTheFixture(string fixture, string option, string value)
    {
        var report = ParityVariants.ReplayWith(fixture, option, JsonNode.Parse(value)!);
        output.WriteLine(report.Summary());
        Assert.True(report.Implemented && report.Error is null, $"{fixture} with {option}={value} should replay, then miss: {report.Summary()}");
        Assert.False(report.Passed, $"{fixture} replayed with {option}={value} still matches the official numbers: {report.Summary()}");
    }
}
