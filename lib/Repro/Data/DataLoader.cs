namespace Repro.Data;

/// <summary>
/// Splits a dataset into batches: seeded shuffling (a fresh permutation per epoch, derived from the seed and the
/// epoch, so a resumed run sees the same order), optional drop of the last partial batch.
/// Batches are built on demand by <see cref="Load"/>, so the caller decides which dispose scope owns them, or ahead of
/// use on another thread by <see cref="Prefetch"/>, with the same numbers.
/// </summary>
public sealed class DataLoader
{
    public IMultimodalDataset Dataset { get; }
    public int BatchSize { get; }
    public bool Shuffle { get; }
    public bool DropLast { get; }
    public SampleMode Mode { get; }
    public ulong Seed { get; }

    public DataLoader(IMultimodalDataset dataset, int batchSize, bool shuffle, SampleMode mode, ulong seed, bool dropLast = false)
    {
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), "Batch size must be positive.");
        if (dataset.Count == 0) throw new InvalidDataException($"Dataset {dataset.Info.Name} is empty: nothing to load.");
        Dataset = dataset; BatchSize = batchSize; Shuffle = shuffle; Mode = mode; Seed = seed; DropLast = dropLast;
    }

    public int BatchCount => DropLast ? Dataset.Count / BatchSize : (Dataset.Count + BatchSize - 1) / BatchSize;

    /// <summary>The sample indices of each batch of <paramref name="epoch"/>.</summary>
    public IReadOnlyList<int[]> Plan(int epoch)
    {
        var order = Shuffle ? new Rng(Rng.Derive(Seed, 1, epoch)).Permutation(Dataset.Count) : Enumerable.Range(0, Dataset.Count).ToArray();
        var plan = new List<int[]>(BatchCount);
        for (int b = 0; b < BatchCount; b++)
            plan.Add(order.Skip(b * BatchSize).Take(BatchSize).ToArray());
        return plan;
    }

    /// <summary>The batches of <paramref name="plan"/>, each prepared on the data thread while the previous one is used.</summary>
    public BatchPrefetcher Prefetch(IReadOnlyList<int[]> plan, int epoch) => new(this, plan, epoch);

    /// <summary>Decodes and collates one batch; each sample's augmentation is seeded by (seed, epoch, sample index).</summary>
    public Batch Load(int[] indices, int epoch)
    {
        var samples = new Sample[indices.Length];
        for (int i = 0; i < indices.Length; i++)
            samples[i] = Dataset.Get(indices[i], Mode, Rng.Derive(Seed, 2, epoch, indices[i]));
        return Batch.Collate(samples, Dataset.Info);
    }
}
