namespace Repro.Evaluation.Probes;

/// <summary>A probe's per-epoch summary: each measurement's mean over the steps of the epoch that gave it.</summary>
public sealed class EpochMeans
{
    readonly Dictionary<string, (double Sum, int Count)> _sums = new();

    public void Add(IEnumerable<KeyValuePair<string, double>> measurements)
    {
        foreach (var (k, v) in measurements)
        {
            var (s, n) = _sums.GetValueOrDefault(k);
            _sums[k] = (s + v, n + 1);
        }
    }

    /// <summary>The epoch's means; the next call starts a new epoch.</summary>
    public Dictionary<string, double> Take()
    {
        var summary = _sums.ToDictionary(kv => kv.Key, kv => kv.Value.Sum / kv.Value.Count);
        _sums.Clear();
        return summary;
    }
}
