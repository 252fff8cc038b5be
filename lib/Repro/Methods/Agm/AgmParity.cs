using Repro.Methods;
using static TorchSharp.torch;
using Repro.Parity;

namespace Repro.Methods.Agm;

/// <summary>AGM fixtures (`agm-*`, docs/baselines/agm.md#parity): checks the scales, the clip decisions and the running scores.</summary>
public sealed class AgmParity : ParityAdapter
{
    public override string Method => "agm";

    public override void Prepare(ParityFixture fixture, Dictionary<string, Tensor> tensors, Method method) =>
        ((ITracedMethod)method).Trace = new MethodTrace();

    public override Dictionary<string, (double Error, bool Ok)> CheckState(ParityFixture f, Dictionary<string, Tensor> t, Method method)
    {
        var trace = TraceChecks.TraceOf(method);
        var checks = new Dictionary<string, (double, bool)>();
        foreach (var (name, traced) in new[] { ("agm/scale", "scale"), ("agm/clipped", "clipped"), ("agm/train_score", "train_score") })
            if (t.TryGetValue(name, out var official)) checks[name] = TraceChecks.Compare(f, trace, traced, official);
        return checks;
    }
}
