using System.Text.RegularExpressions;
using Repro.Methods;
using static TorchSharp.torch;
using Repro.Parity;

namespace Repro.Methods.DiagnosingRelearning;

/// <summary>
/// Diagnosing &amp; Re-learning fixtures (`dr-*`, docs/baselines/dr.md#parity): the official `head` is the kit's concat head;
/// the recorded k-means assignments replace the clustering; checks features, scaled features, purities and strengths of
/// every diagnosis.
/// </summary>
public sealed class DrParity : ParityAdapter
{
    public override string Method => "dr";

    public override string MapName(string official) =>
        official.StartsWith("head.", StringComparison.Ordinal) ? "fusion_module.fc_out." + official["head.".Length..] : official;

    public override string LossColumn(string fixtureColumn) => fixtureColumn switch
    {
        "loss_fused" => "loss",
        "loss_a_logged" => "loss_a",
        "loss_v_logged" => "loss_v",
        _ => fixtureColumn,
    };

    public override void Prepare(ParityFixture fixture, Dictionary<string, Tensor> tensors, Method method)
    {
        var dr = (DiagnosingRelearning)method;
        dr.Trace = new MethodTrace();
        dr.Cluster = (x, k, set) =>
        {
            var name = $"dr/diag{set.Epoch + 1}/assign/{set.Name}";
            return ParityReplay.Need(fixture, tensors, name).to_type(ScalarType.Int64).data<long>().ToArray();
        };
    }

    public override Dictionary<string, (double Error, bool Ok)> CheckState(ParityFixture f, Dictionary<string, Tensor> t, Method method)
    {
        var trace = TraceChecks.TraceOf(method);
        var checks = new Dictionary<string, (double, bool)>();
        var epochs = t.Keys.Select(k => Regex.Match(k, @"^dr/diag(\d+)/purity$")).Where(m => m.Success)
            .Select(m => int.Parse(m.Groups[1].Value)).Order().ToArray();
        if (trace.Rows("purity").Count != epochs.Length)
            return new() { ["dr/diagnoses"] = (Math.Abs(trace.Rows("purity").Count - epochs.Length), false) };
        for (int i = 0; i < epochs.Length; i++)
        {
            var prefix = $"dr/diag{epochs[i]}/";
            checks[prefix + "purity"] = TraceChecks.Compare(tensor(trace.Rows("purity")[i]), t[prefix + "purity"], f.Atol, f.Rtol);
            checks[prefix + "weight"] = TraceChecks.Compare(tensor(trace.Rows("weight")[i]), t[prefix + "weight"], f.Atol, f.Rtol);
            foreach (var kind in new[] { "features", "scaled" })
                foreach (var key in t.Keys.Where(k => k.StartsWith(prefix + kind + "/", StringComparison.Ordinal)))
                {
                    var set = key[(prefix + kind + "/").Length..];
                    checks[key] = TraceChecks.Compare(tensor(trace.Rows($"{kind}/{set}")[i]), t[key], f.Atol, f.Rtol);
                }
        }
        return checks;
    }
}
