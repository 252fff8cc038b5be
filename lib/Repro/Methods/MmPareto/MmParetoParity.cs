using Repro.Methods;
using Repro.Models.Fusion;
using static TorchSharp.torch;
using Repro.Parity;

namespace Repro.Methods.MmPareto;

/// <summary>
/// MMPareto fixtures (`mmpareto-*`, docs/baselines/mmpareto.md#parity): the official AVClassifier's `head`, `head_audio` and
/// `head_video` are the kit's fused head and unimodal heads; checks the cosines and the weights of every batch.
/// </summary>
public sealed class MmParetoParity : ParityAdapter
{
    public override string Method => "mmpareto";

    public override string MapName(string official)
    {
        var dot = official.IndexOf('.');
        if (dot < 0) return official;
        var (module, rest) = (official[..dot], official[dot..]);
        return module switch
        {
            "head" => "fusion_module.fused.fc_out" + rest,
            "head_audio" => "fusion_module." + AuxiliaryHeadsFusion.HeadName(Data.Modalities.Audio) + rest,
            "head_video" or "head_visual" => "fusion_module." + AuxiliaryHeadsFusion.HeadName(Data.Modalities.Visual) + rest,
            "head_text" => "fusion_module." + AuxiliaryHeadsFusion.HeadName(Data.Modalities.Text) + rest,
            _ => official,
        };
    }

    public override void Prepare(ParityFixture fixture, Dictionary<string, Tensor> tensors, Method method) =>
        ((ITracedMethod)method).Trace = new MethodTrace();

    public override Dictionary<string, (double Error, bool Ok)> CheckState(ParityFixture f, Dictionary<string, Tensor> t, Method method)
    {
        var trace = TraceChecks.TraceOf(method);
        var checks = new Dictionary<string, (double, bool)>();
        if (t.TryGetValue("mmpareto/cos", out var cos)) checks["mmpareto/cos"] = TraceChecks.Compare(f, trace, "cos", cos);
        foreach (var m in method.Modalities)
            if (t.TryGetValue("mmpareto/k_" + m, out var k)) checks["mmpareto/k_" + m] = TraceChecks.Compare(f, trace, "k_" + m, k);
        return checks;
    }
}
