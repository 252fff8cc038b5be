using static TorchSharp.torch;

namespace Repro.Methods.Qmf;

/// <summary>
/// QMF's per-sample loss history for one modality (QMF src/utils/utils.py History; MLA utils/utils.py History):
/// float64 sums of each training sample's cross-entropy, kept across epochs, zero for samples not seen yet.
/// Samples are identified by their dataset index and given slots in order of first appearance; the history spans
/// the whole training set (size N) so the min-max normalisation runs over all N samples, as the official np.zeros(N).
/// </summary>
public sealed class QmfHistory
{
    readonly double[] _values;
    readonly long[] _indexOfSlot;
    readonly Dictionary<long, int> _slot = new();

    public QmfHistory(int size)
    {
        if (size < 1) throw new ArgumentOutOfRangeException(nameof(size), "QMF's history needs at least one training sample.");
        _values = new double[size];
        _indexOfSlot = Enumerable.Repeat(-1L, size).ToArray();
    }

    public int Size => _values.Length;

    int Slot(long index)
    {
        if (_slot.TryGetValue(index, out var s)) return s;
        if (_slot.Count == _values.Length)
            throw new InvalidOperationException($"QMF history: more than {_values.Length} distinct training samples (index {index}); the history was sized for the training set.");
        s = _slot.Count;
        _slot[index] = s;
        _indexOfSlot[s] = index;
        return s;
    }

    /// <summary>h[index] += loss (the float32 loss widened to float64, as numpy adds it).</summary>
    public void Add(long[] indices, float[] losses)
    {
        for (int i = 0; i < indices.Length; i++) _values[Slot(indices[i])] += losses[i];
    }

    public double ValueOf(long index) => _slot.TryGetValue(index, out var s) ? _values[s] : 0.0;

    /// <summary>
    /// Target and margin of each pair (get_target_margin): with hn = (h - min h)/(max h - min h) over all N samples,
    /// target = sign(hn1 - hn2) and margin = |hn1 - hn2|, computed in float64 and cast to float32. When every entry
    /// is equal (0/0 in the official code, NaN) both are 0, so the pair adds nothing.
    /// </summary>
    public (float[] Target, float[] Margin) TargetMargin(long[] first, long[] second)
    {
        double min = _values.Min(), max = _values.Max(), range = max - min;
        var target = new float[first.Length];
        var margin = new float[first.Length];
        if (range == 0) return (target, margin);
        for (int i = 0; i < first.Length; i++)
        {
            double a = (ValueOf(first[i]) - min) / range, b = (ValueOf(second[i]) - min) / range;
            target[i] = a > b ? 1f : a < b ? -1f : 0f;
            margin[i] = (float)Math.Abs(a - b);
        }
        return (target, margin);
    }

    /// <summary>Slot-ordered values and the sample index of each slot (-1 where unused), for checkpoints.</summary>
    public (Tensor Values, Tensor Index) ToTensors() =>
        (tensor(_values.ToArray()), tensor(_indexOfSlot.ToArray()));

    public void Load(Tensor values, Tensor index)
    {
        var v = values.to_type(ScalarType.Float64).data<double>().ToArray();
        var ix = index.to_type(ScalarType.Int64).data<long>().ToArray();
        if (v.Length != _values.Length || ix.Length != _values.Length)
            throw new InvalidDataException($"QMF history of {v.Length} samples does not fit a training set of {_values.Length}.");
        _slot.Clear();
        for (int s = 0; s < v.Length; s++)
        {
            _values[s] = v[s];
            _indexOfSlot[s] = ix[s];
            if (ix[s] >= 0) _slot[ix[s]] = s;
        }
    }
}
