namespace Repro.Experiments.Tables;

/// <summary>The paper tables the kit reproduces, by id (`repro reproduce &lt;id&gt;`).</summary>
public static class PaperTables
{
    static readonly Dictionary<string, TableSpec> Tables = new();

    static PaperTables() => Register(MlaTable1.Spec);

    public static void Register(TableSpec spec) => Tables[spec.Id] = spec;
    public static IEnumerable<string> Ids => Tables.Keys.Order();

    public static TableSpec Get(string id) => Tables.TryGetValue(id, out var t) ? t
        : throw new ArgumentException($"Unknown experiment '{id}'; known: {string.Join(", ", Ids)}.");
}
