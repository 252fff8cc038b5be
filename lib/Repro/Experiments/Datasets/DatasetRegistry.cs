using System.Reflection;

namespace Repro.Experiments.Datasets;

/// <summary>
/// Dataset ids to their <see cref="DatasetDescriptor"/>s: every [Dataset] class of the kit. Checks a dataset id as the
/// commands write it (<c>id[:protocol][:key=value]...</c>): an unknown id, protocol or setting is refused with the
/// closest known names.
/// </summary>
public static class DatasetRegistry
{
    static readonly Dictionary<string, DatasetDescriptor> Datasets = typeof(DatasetRegistry).Assembly.GetTypes()
        .Where(t => t.GetCustomAttribute<DatasetAttribute>() is not null)
        .Select(t => (DatasetDescriptor)(Activator.CreateInstance(t)
                                          ?? throw new InvalidOperationException($"{t.Name} is marked [Dataset] but has no parameterless constructor.")))
        .ToDictionary(d => d.Id);

    public static IEnumerable<DatasetDescriptor> All => Datasets.Values.OrderBy(d => d.Id, StringComparer.Ordinal);
    public static IEnumerable<string> Ids => All.Select(d => d.Id);

    /// <summary>"cremad (ogm-ge|mla), ks (ogm-ge|dgl), ...": for help texts.</summary>
    public static string Describe() => string.Join(", ", All.Select(d => $"{d.Id} ({string.Join("|", d.Protocols)})"));

    /// <summary>The descriptor of an id, or null for a dataset the kit cannot open (a paper table's MVSA column).</summary>
    public static DatasetDescriptor? Find(string id) => Datasets.GetValueOrDefault(id);

    public static DatasetDescriptor Get(string id) => Datasets.TryGetValue(id, out var d) ? d
        : throw new ArgumentException($"Unknown dataset '{id}'{ClosestNames.Suggest(id, Ids)}; known: {string.Join(", ", Ids)}.");

    /// <summary>The protocol of a dataset (its default when null); an unknown one is refused with the closest.</summary>
    public static string Protocol(string id, string? protocol)
    {
        var d = Get(id);
        var p = protocol ?? d.Protocols[0];
        return d.Protocols.Contains(p) ? p
            : throw new ArgumentException($"Dataset {id} has no protocol '{p}'{ClosestNames.Suggest(p, d.Protocols)}; known: {string.Join(", ", d.Protocols)}.");
    }

    /// <summary>The settings a dataset id may carry: the shared ones, missing-files where its lists name files, and the dataset's own.</summary>
    public static IReadOnlyList<DatasetSetting> Settings(string id)
    {
        var d = Get(id);
        return [.. DatasetSetting.Shared, .. d.ListsFiles ? [MissingFiles.Setting] : Array.Empty<DatasetSetting>(), .. d.Settings];
    }

    /// <summary>Parses and checks a dataset id: a known dataset, protocol and settings.</summary>
    public static DatasetRef Check(string text)
    {
        var r = DatasetRef.Parse(text);
        Protocol(r.Id, r.Protocol);
        var known = Settings(r.Id).Select(s => s.Name).ToArray();
        var unknown = r.Settings.Keys.Where(k => !known.Contains(k)).ToArray();
        if (unknown.Length > 0)
            throw new ArgumentException($"Dataset {text}: unknown setting{(unknown.Length > 1 ? "s" : "")} " +
                                        $"{string.Join(", ", unknown.Select(k => $"'{k}'{ClosestNames.Suggest(k, known)}"))}; {r.Id} takes {string.Join(", ", known)}.");
        return r;
    }
}
