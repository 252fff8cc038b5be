namespace Repro.Data;

/// <summary>What to do with a listed example whose files are missing or unreadable.</summary>
public enum MissingFilePolicy
{
    /// <summary>Stop with an error naming the file (the default).</summary>
    Error,
    /// <summary>Leave the example out, count it and report it (what the official loaders do silently).</summary>
    Drop,
}

/// <summary>Examples a loader left out, with the reason for each; never silent.</summary>
public sealed class DropReport
{
    readonly List<(string Id, string Reason)> _dropped = new();
    public IReadOnlyList<(string Id, string Reason)> Dropped => _dropped;
    public int Count => _dropped.Count;
    public void Add(string id, string reason) => _dropped.Add((id, reason));

    public override string ToString() => Count == 0 ? "no examples dropped"
        : $"{Count} example(s) dropped: " + string.Join("; ", _dropped.Take(5).Select(d => $"{d.Id} ({d.Reason})")) + (Count > 5 ? "; ..." : "");
}
