using System.Globalization;

namespace Repro.Experiments.Datasets;

/// <summary>
/// A dataset as the commands name it: <c>id[:protocol][:key=value]...</c>, e.g. <c>cremad</c>, <c>cremad:mla</c>,
/// <c>ks:dgl</c>, <c>food101:map:missing=both/0.7</c>, <c>iemocap:fold=3:missing-rate=0.5</c> (values hold no ':').
/// The whole string is part of a run's identity. The settings each dataset takes are its descriptor's and the shared
/// ones (<see cref="DatasetRegistry.Settings"/>); <see cref="DatasetRegistry.Check"/> refuses any other.
/// </summary>
public sealed record DatasetRef(string Id, string? Protocol, IReadOnlyDictionary<string, string> Settings)
{
    public static DatasetRef Parse(string text)
    {
        var parts = text.Split(':');
        string? protocol = null;
        var settings = new Dictionary<string, string>();
        foreach (var p in parts.Skip(1))
        {
            int eq = p.IndexOf('=');
            if (eq < 0)
            {
                if (protocol is not null) throw new ArgumentException($"Dataset '{text}': two protocols ('{protocol}', '{p}'); write id[:protocol][:key=value]...");
                protocol = p;
            }
            else settings[p[..eq]] = p[(eq + 1)..];
        }
        return new DatasetRef(parts[0], protocol, settings);
    }

    public string? Get(string key) => Settings.TryGetValue(key, out var v) ? v : null;

    public int Int(string key, int fallback) => Get(key) is { } v
        ? int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : throw new ArgumentException($"Dataset setting {key}={v}: expected an integer.")
        : fallback;

    public double? Double(string key) => Get(key) is { } v
        ? double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : throw new ArgumentException($"Dataset setting {key}={v}: expected a number.")
        : null;
}
