using Repro.Data;
using Repro.Methods;
using static TorchSharp.torch;
using Repro.Parity;

namespace Repro.Methods.Mla;

/// <summary>
/// MLA's training fixtures (`mla-released-*`, `mla-official-hgm-*`, `mla3-*`, `mla-bb-*`; parity/README.md "mla"):
/// the training replay as is, plus the projector: `hgm/P` (final) and `hgm/P_epoch&lt;k&gt;` (after epoch k, where
/// present) against the method's P, within the fixture's weight tolerance. The three-modality fixtures name their
/// first loss column by its formula ("0.5*loss_a + 0.5*loss_v (...)"): that is the method's "loss".
/// </summary>
public sealed class MlaParity : ParityAdapter
{
    public override string Method => "mla";

    public override string LossColumn(string column)
    {
        var formula = column.Split(" (")[0].Replace(" ", "");
        return formula == "0.5*loss_a+0.5*loss_v" ? "loss" : column;
    }

    public override void Prepare(ParityFixture fixture, Dictionary<string, Tensor> tensors, Method method)
    {
        if (method is Mla mla) mla.KeepProjectorHistory = true;
    }

    public override Dictionary<string, (double Error, bool Ok)> CheckState(ParityFixture fixture, Dictionary<string, Tensor> tensors, Method method)
    {
        var mla = (Mla)method;
        var checks = new Dictionary<string, (double, bool)>();
        if (tensors.TryGetValue("hgm/P", out var p)) checks["hgm/P"] = Compare(fixture, mla.Projector.P, p);
        for (int k = 1; tensors.TryGetValue($"hgm/P_epoch{k}", out var pk); k++)
            checks[$"hgm/P_epoch{k}"] = k <= mla.ProjectorHistory.Count
                ? Compare(fixture, mla.ProjectorHistory[k - 1], pk)
                : (double.NaN, false);
        return checks;
    }

    /// <summary>Largest |ours - official|, and whether every element is within atol + rtol*|official|.</summary>
    internal static (double Error, bool Ok) Compare(ParityFixture f, Tensor ours, Tensor official)
    {
        using var scope = NewDisposeScope();
        if (!ours.shape.SequenceEqual(official.shape)) return (double.NaN, false);
        var o = official.to_type(ScalarType.Float64);
        var diff = (ours.detach().cpu().to_type(ScalarType.Float64) - o).abs();
        return (diff.max().item<double>(), (diff <= f.Atol + f.Rtol * o.abs()).all().item<bool>());
    }
}

/// <summary>
/// `mla-dynamic-fusion-*` (parity/README.md "mla-dynamic-fusion"): not a training run. The recorded unimodal logits are
/// cut into consecutive batches of `batch_size`; the official batch-level entropy weights of each batch and the fused
/// logits are checked against `expected/batch_weights` and `expected/fused`.
/// </summary>
public sealed class MlaDynamicFusionParity : ParityAdapter
{
    static readonly string[] Order = [Modalities.Audio, Modalities.Visual, Modalities.Text, Modalities.Image];

    public override string Method => "mla-dynamic-fusion";

    public override ParityReport? Replay(ParityFixture fixture, Dictionary<string, Tensor> tensors)
    {
        var logits = Order.Where(m => tensors.ContainsKey("logits/" + m)).Select(m => tensors["logits/" + m]).ToArray();
        if (logits.Length < 2) throw new InvalidDataException($"{fixture.TensorsPath}: needs logits/<modality> for two or more modalities.");
        if (fixture.BatchSize <= 0) throw new InvalidDataException($"{fixture.JsonPath}: field 'batch_size' is missing.");
        long n = logits[0].shape[0];
        var weights = new List<Tensor>();
        var fused = new List<Tensor>();
        for (long start = 0; start < n; start += fixture.BatchSize)
        {
            long len = Math.Min(fixture.BatchSize, n - start);
            var batch = logits.Select(l => l.narrow(0, start, len)).ToArray();
            var w = TestTimeFusion.BatchEntropyWeights(batch);
            weights.Add(w);
            fused.Add(TestTimeFusion.Combine(batch, TestTimeFusion.PerSample(w, batch)));
        }
        var extra = new Dictionary<string, (double, bool)>
        {
            ["batch_weights"] = MlaParity.Compare(fixture, stack(weights.ToArray()), ParityReplay.Need(fixture, tensors, "expected/batch_weights")),
            ["fused"] = MlaParity.Compare(fixture, cat(fused.ToArray()), ParityReplay.Need(fixture, tensors, "expected/fused")),
        };
        return new ParityReport { Fixture = fixture.Name, Method = fixture.Method, Extra = extra };
    }
}
