using Repro.Methods;
using static TorchSharp.torch;
using Repro.Parity;

namespace Repro.Methods.Pmr;

/// <summary>PMR fixtures (`pmr-*`, docs/baselines/pmr.md#parity): checks prototypes, rho, the switch and the per-epoch means.</summary>
public sealed class PmrParity : ParityAdapter
{
    public override string Method => "pmr";

    public override void Prepare(ParityFixture fixture, Dictionary<string, Tensor> tensors, Method method) =>
        ((ITracedMethod)method).Trace = new MethodTrace();

    public override Dictionary<string, (double Error, bool Ok)> CheckState(ParityFixture f, Dictionary<string, Tensor> t, Method method)
    {
        var trace = TraceChecks.TraceOf(method);
        var checks = new Dictionary<string, (double, bool)>();
        foreach (var m in method.Modalities)
            if (t.TryGetValue("pmr/proto_" + m, out var proto)) checks["pmr/proto_" + m] = TraceChecks.Compare(f, trace, "proto_" + m, proto);
        long batches = ParityReplay.Need(f, t, "pmr/rho").shape[1];
        checks["pmr/rho"] = TraceChecks.Compare(f, trace, "rho", t["pmr/rho"]);
        if (t.TryGetValue("pmr/coef", out var coef)) checks["pmr/coef"] = TraceChecks.Compare(f, trace, "coef", coef);
        if (t.TryGetValue("pmr/proto_loss_means", out var plm))
            checks["pmr/proto_loss_means"] = TraceChecks.Compare(TraceChecks.GroupMeans(trace.ToTensor("proto_loss"), batches), plm, f.Atol, f.Rtol);
        if (t.TryGetValue("pmr/ratio_means", out var rm))
        {
            var ours = cat([TraceChecks.GroupMeans(trace.ToTensor("ratio_a"), batches), TraceChecks.GroupMeans(trace.ToTensor("rho"), batches)], 1);
            checks["pmr/ratio_means"] = TraceChecks.Compare(ours, rm, f.Atol, f.Rtol);
        }
        return checks;
    }
}
