namespace Repro.Data;

/// <summary>
/// What a split's list names and what of it a loader found: every listed example, present or dropped (with the reason,
/// its class where known, and whether a file was missing). Filled in list order as the loader reads its list; the
/// summary (<see cref="SplitCoverage"/>) goes into run.json, table captions and `repro data verify --allow-missing`.
/// </summary>
public sealed class ListCoverage
{
    /// <summary>The class of a dropped example whose label could not be read (MM-IMDb: its metadata file is the missing one).</summary>
    public const int UnknownClass = -1;

    readonly List<(string Id, int Label)> _present = new();
    readonly List<(string Id, int Label, string Reason, bool FileMissing)> _dropped = new();

    /// <summary>The dropped examples with their reasons, in list order.</summary>
    public DropReport Dropped { get; } = new();
    public int Listed => _present.Count + _dropped.Count;
    public int Present => _present.Count;
    /// <summary>Dropped because a listed file was not there (not for another reason, such as an MM-IMDb movie without a known genre).</summary>
    public int MissingFiles => _dropped.Count(d => d.FileMissing);
    /// <summary>The ids of the present examples, in list order (what a run's identity digests under missing-files=drop).</summary>
    public IEnumerable<string> PresentIds => _present.Select(p => p.Id);
    /// <summary>The dropped examples in list order: id, reason, and whether a listed file was missing.</summary>
    public IEnumerable<(string Id, string Reason, bool FileMissing)> DroppedItems => _dropped.Select(d => (d.Id, d.Reason, d.FileMissing));

    public void Keep(string id, int label) => _present.Add((id, label));

    public void Drop(string id, int label, string reason, bool fileMissing = true)
    {
        Dropped.Add(id, reason);
        _dropped.Add((id, label, reason, fileMissing));
    }

    /// <summary>Counts per class (listed, present, dropped) under <paramref name="classNames"/>; an "unknown" class only when some dropped label is unknown.</summary>
    public SplitCoverage Summary(string split, IReadOnlyList<string> classNames)
    {
        var listed = new int[classNames.Count + 1];
        var present = new int[classNames.Count + 1];
        int Slot(int label) => label >= 0 && label < classNames.Count ? label : classNames.Count;
        foreach (var (_, label) in _present) { listed[Slot(label)]++; present[Slot(label)]++; }
        foreach (var d in _dropped) listed[Slot(d.Label)]++;
        var classes = Enumerable.Range(0, classNames.Count + 1)
            .Where(c => c < classNames.Count || listed[c] > 0)
            .Select(c => new ClassCoverage(c < classNames.Count ? classNames[c] : "unknown", listed[c], present[c], listed[c] - present[c]))
            .ToArray();
        return new SplitCoverage(split, Listed, Present, _dropped.Count, classes);
    }
}
