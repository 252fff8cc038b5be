namespace Repro.Data;

/// <summary>A view of some examples of a dataset (validation carving, profile subsampling).</summary>
public sealed class Subset : IMultimodalDataset
{
    readonly IMultimodalDataset _parent;
    readonly int[] _indices;

    public Subset(IMultimodalDataset parent, IEnumerable<int> indices, string? name = null)
    {
        _parent = parent;
        _indices = indices.ToArray();
        foreach (var i in _indices)
            if (i < 0 || i >= parent.Count) throw new ArgumentOutOfRangeException(nameof(indices), $"Index {i} outside dataset {parent.Info.Name} of {parent.Count}.");
        Info = name is null ? parent.Info : parent.Info with { Name = name };
    }

    public DatasetInfo Info { get; }
    public int Count => _indices.Length;
    public IReadOnlyList<int> Indices => _indices;
    public IMultimodalDataset Parent => _parent;
    public Sample Get(int index, SampleMode mode, ulong seed) => _parent.Get(_indices[index], mode, seed);
    public int LabelOf(int index) => _parent.LabelOf(_indices[index]);

    /// <summary>
    /// Splits a dataset into (train, validation) with a seeded, class-stratified draw of <paramref name="fraction"/> of each class.
    /// </summary>
    public static (Subset Train, Subset Validation) CarveValidation(IMultimodalDataset ds, double fraction, ulong seed)
    {
        if (fraction <= 0 || fraction >= 1) throw new ArgumentOutOfRangeException(nameof(fraction), "Validation fraction must be in (0, 1).");
        var rng = new Rng(Rng.Derive(seed, 3));
        var val = new List<int>();
        foreach (var group in Enumerable.Range(0, ds.Count).GroupBy(ds.LabelOf).OrderBy(g => g.Key))
        {
            var members = group.ToArray();
            var perm = rng.Permutation(members.Length);
            int take = (int)Math.Round(members.Length * fraction);
            if (members.Length > 1) take = Math.Clamp(take, 1, members.Length - 1);
            val.AddRange(perm.Take(take).Select(p => members[p]));
        }
        var valSet = val.ToHashSet();
        var train = Enumerable.Range(0, ds.Count).Where(i => !valSet.Contains(i));
        return (new Subset(ds, train, ds.Info.Name + "/train"), new Subset(ds, val.Order(), ds.Info.Name + "/val"));
    }
}
