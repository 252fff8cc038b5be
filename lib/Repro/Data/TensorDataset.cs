using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Data;

/// <summary>
/// A dataset held as tensors in memory: one (N, ...) tensor per modality, (N) int64 labels, optional (N) sample ids
/// and optional (N) bool availability per modality. Used for parity fixtures, pre-extracted features and tests.
/// The dataset owns its tensors (they are detached from any dispose scope).
/// </summary>
public sealed class TensorDataset : IMultimodalDataset
{
    readonly Dictionary<string, Tensor> _inputs;
    readonly Dictionary<string, bool[]>? _available;
    readonly long[] _labels;
    readonly long[] _index;

    public TensorDataset(string name, IReadOnlyDictionary<string, Tensor> inputs, Tensor labels, IReadOnlyList<string> classNames,
        Tensor? index = null, IReadOnlyDictionary<string, bool[]>? available = null)
    {
        long n = labels.shape[0];
        foreach (var (m, t) in inputs)
            if (t.shape[0] != n) throw new ArgumentException($"Dataset {name}: modality {m} has {t.shape[0]} rows, labels have {n}.");
        _inputs = inputs.ToDictionary(kv => kv.Key, kv => kv.Value.detach().DetachFromDisposeScope());
        _labels = labels.to_type(ScalarType.Int64).data<long>().ToArray();
        _index = index is null ? Enumerable.Range(0, (int)n).Select(i => (long)i).ToArray() : index.to_type(ScalarType.Int64).data<long>().ToArray();
        _available = available?.ToDictionary(kv => kv.Key, kv => kv.Value);
        Info = new DatasetInfo(name, inputs.Select(kv => new ModalitySpec(kv.Key, kv.Value.shape[1..], kv.Value.dtype)).ToArray(), classNames);
    }

    public DatasetInfo Info { get; }
    public int Count => _labels.Length;
    public int LabelOf(int index) => (int)_labels[index];

    public Sample Get(int index, SampleMode mode, ulong seed) => new()
    {
        Index = _index[index],
        Id = _index[index].ToString(),
        Label = (int)_labels[index],
        Inputs = _inputs.ToDictionary(kv => kv.Key,
            kv => _available is not null && _available.TryGetValue(kv.Key, out var a) && !a[index] ? null : (Tensor?)kv.Value[index]),
    };
}
