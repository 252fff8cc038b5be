using System.Security.Cryptography;
using System.Text;
using Repro.Data;

namespace Repro.Experiments.Datasets;

/// <summary>
/// The dataset setting <c>missing-files=error|drop</c>, declared once for every dataset whose lists name files
/// (<see cref="DatasetDescriptor.ListsFiles"/>). Real downloads of YouTube datasets (Kinetics-Sounds) always lack some
/// listed clips. <c>error</c> (the default) stops with the count missing per split and names the setting; <c>drop</c>
/// trains and evaluates on what is present, and the counts per split and class go into run.json and the table caption.
/// Under <c>drop</c> a run's identity holds a digest of the present sample ids (<see cref="Digest"/>), so two copies with
/// different holes never share a run, and filling holes trains anew (docs/datasets.md#missing-files).
/// </summary>
public static class MissingFiles
{
    public const string Name = "missing-files";

    public static readonly DatasetSetting Setting = new(Name,
        "error (default: stop, counting the listed examples whose files are missing per split) | drop: train and evaluate on what is present, counted in run.json");

    public static MissingFilePolicy PolicyOf(DatasetRef r) => r.Get(Name) switch
    {
        null or "error" => MissingFilePolicy.Error,
        "drop" => MissingFilePolicy.Drop,
        var v => throw new ArgumentException($"Dataset setting {Name}={v}: expected error or drop."),
    };

    /// <summary>The policy of a dataset id as commands write it (<c>ks:missing-files=drop</c>).</summary>
    public static MissingFilePolicy PolicyOf(string dataset) => PolicyOf(DatasetRef.Parse(dataset));

    /// <summary>The first 16 hex digits of the SHA-256 of every split's name and present ids, in list order.</summary>
    public static string Digest(IEnumerable<(string Split, IEnumerable<string> Ids)> splits)
    {
        var text = new StringBuilder();
        foreach (var (split, ids) in splits)
        {
            text.Append("split ").Append(split).Append('\n');
            foreach (var id in ids) text.Append(id).Append('\n');
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }

    /// <summary>The dataset id with missing-files=drop in place of its own setting: what to type to train on what is present.</summary>
    public static string WithDrop(DatasetRef r) => string.Join(":",
        new[] { r.Id, r.Protocol }.OfType<string>()
            .Concat(r.Settings.Where(s => s.Key != Name).Select(s => $"{s.Key}={s.Value}"))
            .Append($"{Name}=drop"));

    /// <summary>How many problems an error names.</summary>
    public const int Listed = 10;

    /// <summary>
    /// The error of the default policy: the count missing per split, the first <see cref="Listed"/> examples with their
    /// reasons, and the setting that trains on what is present (which also leaves out the few examples a loader drops
    /// for another reason: an MM-IMDb movie without a known genre).
    /// </summary>
    public static MissingFilesException Error(string name, DatasetRef r, string root, IReadOnlyList<SplitCoverage> splits, IReadOnlyList<ListCoverage> listings)
    {
        int total = splits.Sum(s => s.Dropped);
        var items = listings.SelectMany(l => l.DroppedItems).ToList();
        int other = items.Count(d => !d.FileMissing);
        var first = items.Take(Listed).Select(d => $"  {d.Id}: {d.Reason}");
        var more = total > Listed ? $"\n  and {total - Listed} more" : "";
        var perSplit = string.Join(", ", splits.Select(s => $"{s.Split} {s.Dropped} of {s.Listed}"));
        var what = other == 0 ? "have missing files" : $"have missing files or cannot be used ({other} not for a missing file)";
        return new MissingFilesException(
            $"{name} at {root}: {total} listed example(s) {what} ({perSplit}):\n{string.Join("\n", first)}{more}\n" +
            $"To train and evaluate on what is present, add the dataset setting {Name}=drop (--dataset {WithDrop(r)}); " +
            "`repro data verify MANIFEST --root DIR --allow-missing` reports what is present per split and class.", splits);
    }
}
