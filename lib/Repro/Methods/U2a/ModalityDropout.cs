using Repro.Data;
using Repro.Data.Missing;
using static TorchSharp.torch;

namespace Repro.Methods.U2a;

/// <summary>
/// Modality dropout on complete training data (U2A §3.3: "each iteration uses both modalities or randomly drops one"):
/// each complete sample, with probability <c>rate</c>, loses one of its modalities chosen uniformly; incomplete samples
/// are left as they are. The paper gives no rate; the kit's default, 0.5, is our choice. Draws come from torch's
/// generator (the trainer seeds it per epoch) unless one is given.
/// </summary>
public static class ModalityDropout
{
    /// <summary>The availability after dropout, per modality (B) bool.</summary>
    public static Dictionary<string, Tensor> Draw(IReadOnlyList<string> modalities, IReadOnlyDictionary<string, Tensor> available,
        double rate, Generator? generator = null)
    {
        if (rate < 0 || rate > 1) throw new ArgumentOutOfRangeException(nameof(rate), rate, "Modality dropout rate must lie in [0, 1].");
        var first = available[modalities[0]];
        long b = first.shape[0];
        var complete = modalities.Select(m => available[m]).Aggregate((x, y) => x.logical_and(y));
        var u = rand(b, generator: generator).to(first.device);
        var which = randint(0, modalities.Count, [b], generator: generator, dtype: ScalarType.Int64).to(first.device);
        var drop = complete.logical_and(u.lt(rate));
        var result = new Dictionary<string, Tensor>();
        for (int i = 0; i < modalities.Count; i++)
            result[modalities[i]] = available[modalities[i]].logical_and(drop.logical_and(which.eq(i)).logical_not());
        return result;
    }

    /// <summary>The batch with the new availability; a dropped input is replaced by zeros (the missing-input placeholder).</summary>
    public static Batch Apply(Batch batch, IReadOnlyDictionary<string, Tensor> available) => new()
    {
        Inputs = batch.Inputs.ToDictionary(kv => kv.Key, kv =>
        {
            if (!available.TryGetValue(kv.Key, out var keep)) return kv.Value;
            var shape = new long[kv.Value.dim()];
            Array.Fill(shape, 1L);
            shape[0] = keep.shape[0];
            return where(keep.view(shape), kv.Value, zeros_like(kv.Value));
        }),
        Available = batch.Available.ToDictionary(kv => kv.Key, kv => available.TryGetValue(kv.Key, out var a) ? a : kv.Value),
        Labels = batch.Labels,
        Targets = batch.Targets,
        Index = batch.Index,
        Ids = batch.Ids,
    };

    /// <summary>True when some sample of the dataset lacks a modality (a missing-modality mask under any subsets).</summary>
    public static bool HasMissing(IMultimodalDataset dataset) => dataset switch
    {
        Subset s => s.Parent is MaskedDataset m ? s.Indices.Any(i => Incomplete(m.Mask, i)) : HasMissing(s.Parent),
        MaskedDataset m => Enumerable.Range(0, m.Count).Any(i => Incomplete(m.Mask, i)),
        _ => false,
    };

    static bool Incomplete(ModalityMask mask, int i) => mask.Modalities.Any(m => !mask.Has(i, m));
}
