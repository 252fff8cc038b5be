using Repro.Data;
using static TorchSharp.torch;

namespace Repro.Methods;

/// <summary>
/// "Padding" a modality as AGM (model/CREMAD_net.py AVClassifier.forward) and BalanceBenchmark
/// (avclassify_model.py forward, `padding`) do it: its INPUT is replaced by zeros of the same shape and its encoder
/// still runs on them, so a padded encoder still contributes (e.g. through its biases) and still receives gradients.
/// </summary>
public static class ZeroPadding
{
    /// <summary>The batch with the inputs of <paramref name="padded"/> replaced by zeros (other inputs shared, not copied).</summary>
    public static Batch Pad(Batch batch, IEnumerable<string> padded)
    {
        var set = padded.ToHashSet();
        if (set.Count == 0) return batch;
        return new Batch
        {
            Inputs = batch.Inputs.ToDictionary(kv => kv.Key, kv => set.Contains(kv.Key) ? zeros_like(kv.Value) : kv.Value),
            Available = batch.Available,
            Labels = batch.Labels,
            Targets = batch.Targets,
            Index = batch.Index,
            Ids = batch.Ids,
        };
    }

    /// <summary>The batch with every modality outside <paramref name="kept"/> padded.</summary>
    public static Batch Keep(Batch batch, IEnumerable<string> kept)
    {
        var keep = kept.ToHashSet();
        return Pad(batch, batch.Inputs.Keys.Where(m => !keep.Contains(m)));
    }
}
