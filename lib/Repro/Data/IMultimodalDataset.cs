namespace Repro.Data;

/// <summary>
/// A dataset the loaders and trainers read. <see cref="Get"/> must be deterministic given (index, mode, seed):
/// random augmentation draws only from a generator seeded with <paramref name="seed"/>.
/// </summary>
public interface IMultimodalDataset
{
    DatasetInfo Info { get; }
    int Count { get; }
    Sample Get(int index, SampleMode mode, ulong seed);
    /// <summary>The label of an example without decoding its inputs (used for stratified splits and statistics).</summary>
    int LabelOf(int index);
}
