using Repro.Methods;
using static TorchSharp.torch;
using Repro.Parity;

namespace Repro.Methods.Qmf;

/// <summary>
/// QMF fixtures: `qmf-av-*` (MLA's audio-visual QMF: head_a, head_v) and `qmf-ti-*` (the authors' text-image code:
/// txtclf.enc/clf, imgclf.enc/clf). Heads map to the kit's QmfFusion layers by modality position (fc_x = the first
/// modality, audio or text; fc_y = the second), encoders to {modality}_net. The text-image fixture's loss column is a
/// description of the objective (divided by the accumulation steps): the kit logs it as `loss`. After training, the
/// per-sample histories `qmf/history_{modality}` (indexed by data/index) are compared with the method's.
/// </summary>
public sealed class QmfParity : ParityAdapter
{
    public override string Method => "qmf";

    static readonly (string Official, string Kit)[] Prefixes =
    [
        ("head_a.", "fusion_module.fc_x."),
        ("head_v.", "fusion_module.fc_y."),
        ("txtclf.enc.", "text_net."),
        ("txtclf.clf.", "fusion_module.fc_x."),
        ("imgclf.enc.", "image_net."),
        ("imgclf.clf.", "fusion_module.fc_y."),
    ];

    public override string MapName(string official)
    {
        foreach (var (o, k) in Prefixes)
            if (official.StartsWith(o, StringComparison.Ordinal)) return k + official[o.Length..];
        return official;
    }

    public override string LossColumn(string fixtureColumn) =>
        fixtureColumn.StartsWith("total loss", StringComparison.Ordinal) ? "loss" : fixtureColumn;

    public override Dictionary<string, (double Error, bool Ok)> CheckState(ParityFixture fixture, Dictionary<string, Tensor> tensors, Method method)
    {
        var checks = new Dictionary<string, (double, bool)>();
        if (method is not Qmf qmf) return checks;
        foreach (var m in qmf.Modalities)
        {
            if (!tensors.TryGetValue($"qmf/history_{m}", out var official)) continue;
            var o = official.to_type(ScalarType.Float64).data<double>().ToArray();
            var history = qmf.History(m);
            double worst = 0;
            bool ok = true;
            for (int j = 0; j < o.Length; j++)
            {
                double e = Math.Abs(history.ValueOf(j) - o[j]);
                worst = Math.Max(worst, e);
                ok &= e <= fixture.Atol + fixture.Rtol * Math.Abs(o[j]);
            }
            checks[$"qmf/history_{m}"] = (worst, ok);
        }
        return checks;
    }
}
