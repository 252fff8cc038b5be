using System.Text.Json.Nodes;
using Repro.Methods;
using static TorchSharp.torch;
using Repro.Parity;

namespace Repro.Methods.GBlending;

/// <summary>
/// G-Blending fixtures (`gblending-*`, docs/baselines/gblending.md#parity): they replay BalanceBenchmark's implementation,
/// so the method is created with variant=balancebenchmark unless the fixture names a variant; checks the estimation
/// events, the weights (tolerance.gblend_weights_rtol), the OGR losses and the per-epoch fused loss.
/// </summary>
public sealed class GBlendingParity : ParityAdapter
{
    public override string Method => "gblending";

    public override JsonObject MethodOptions(ParityFixture fixture)
    {
        var o = base.MethodOptions(fixture);
        if (!o.ContainsKey("variant")) o["variant"] = "balancebenchmark";
        return o;
    }

    public override string LossColumn(string fixtureColumn) => fixtureColumn == "loss_blended" ? "loss" : fixtureColumn;

    public override void Prepare(ParityFixture fixture, Dictionary<string, Tensor> tensors, Method method) =>
        ((ITracedMethod)method).Trace = new MethodTrace();

    public override Dictionary<string, (double Error, bool Ok)> CheckState(ParityFixture f, Dictionary<string, Tensor> t, Method method)
    {
        var trace = TraceChecks.TraceOf(method);
        var checks = new Dictionary<string, (double, bool)>();
        if (t.TryGetValue("gblend/events", out var events)) checks["gblend/events"] = TraceChecks.Compare(f, trace, "events", events);
        if (t.TryGetValue("gblend/weights", out var weights))
        {
            var rtol = (f.Raw["tolerance"] as JsonObject)?["gblend_weights_rtol"]?.GetValue<double>() ?? f.Rtol;
            checks["gblend/weights"] = TraceChecks.Compare(trace.ToTensor("weights"), weights, f.Atol, rtol);
        }
        if (t.TryGetValue("gblend/ogr_losses", out var ogr)) checks["gblend/ogr_losses"] = TraceChecks.Compare(f, trace, "ogr_losses", ogr);
        if (t.TryGetValue("gblend/epoch_loss_out", out var lossOut))
        {
            var rows = trace.ToTensor("loss_out");
            checks["gblend/epoch_loss_out"] = TraceChecks.Compare(TraceChecks.GroupMeans(rows, rows.shape[0] / f.Epochs), lossOut, f.Atol, f.Rtol);
        }
        return checks;
    }
}
