using System.Text.Json;
using System.Text.Json.Nodes;

namespace Repro.Data.Prepare;

/// <summary>What `repro data prepare` did with one item of a dataset's lists (or, where it links a tree, one file).</summary>
public enum PrepareOutcome
{
    /// <summary>Converted (or linked) now.</summary>
    Prepared,
    /// <summary>Its output was there from an earlier run.</summary>
    AlreadyPresent,
    /// <summary>Listed, but the raw folder lacks its input (a video gone from YouTube): left out; the command still succeeds.</summary>
    Absent,
    /// <summary>Its input is there and could not be converted: the command fails.</summary>
    Failed,
}

/// <summary>
/// Every item `repro data prepare` was asked for and what became of it, saved beside the data as
/// <see cref="FileName"/>: counts in all and per split (listed, prepared, already present, absent, failed), and each absent
/// or failed item with its reason.
/// </summary>
public sealed class PrepareReport
{
    public const string FileName = "prepare-report.json";

    /// <summary>One item: its split ("files" for a linked tree), its id, the outcome and, when absent or failed, why.</summary>
    public sealed record Item(string Split, string Id, PrepareOutcome Outcome, string? Reason);

    readonly List<Item> _items = new();

    public IReadOnlyList<Item> Items => _items;
    public int Listed => _items.Count;
    public int Count(PrepareOutcome outcome) => _items.Count(i => i.Outcome == outcome);
    public IEnumerable<Item> Where(PrepareOutcome outcome) => _items.Where(i => i.Outcome == outcome);

    public void Add(string split, string id, PrepareOutcome outcome, string? reason = null) => _items.Add(new Item(split, id, outcome, reason));

    /// <summary>"train 14787, test 2585": the items of an outcome per split.</summary>
    public string PerSplit(PrepareOutcome outcome) =>
        string.Join(", ", Where(outcome).GroupBy(i => i.Split).Select(g => $"{g.Key} {g.Count()}"));

    /// <summary>The first <paramref name="max"/> items of an outcome, one per line, and how many more the report holds.</summary>
    public IEnumerable<string> Lines(PrepareOutcome outcome, int max = 10)
    {
        var items = Where(outcome).ToList();
        foreach (var i in items.Take(max)) yield return $"  {i.Split} {i.Id}: {i.Reason}";
        if (items.Count > max) yield return $"  and {items.Count - max} more";
    }

    public JsonObject ToJson(string dataset, string? protocol, string raw, string output)
    {
        JsonObject Counts(IEnumerable<Item> items) => new()
        {
            ["listed"] = items.Count(),
            ["prepared"] = items.Count(i => i.Outcome == PrepareOutcome.Prepared),
            ["alreadyPresent"] = items.Count(i => i.Outcome == PrepareOutcome.AlreadyPresent),
            ["absent"] = items.Count(i => i.Outcome == PrepareOutcome.Absent),
            ["failed"] = items.Count(i => i.Outcome == PrepareOutcome.Failed),
        };
        JsonArray List(PrepareOutcome outcome) => new(Where(outcome)
            .Select(i => (JsonNode?)new JsonObject { ["split"] = i.Split, ["id"] = i.Id, ["reason"] = i.Reason }).ToArray());
        var json = new JsonObject { ["dataset"] = dataset, ["protocol"] = protocol, ["raw"] = raw, ["out"] = output };
        foreach (var (key, value) in Counts(_items).ToList()) json[key] = value!.DeepClone();
        json["splits"] = new JsonObject(_items.GroupBy(i => i.Split).Select(g => new KeyValuePair<string, JsonNode?>(g.Key, Counts(g))));
        json["absentItems"] = List(PrepareOutcome.Absent);
        json["failedItems"] = List(PrepareOutcome.Failed);
        return json;
    }

    public void Save(string path, string dataset, string? protocol, string raw, string output) =>
        AtomicFile.WriteAllText(path, ToJson(dataset, protocol, raw, output).ToJsonString(Json.Options));

}
