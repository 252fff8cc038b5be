using System.Reflection;

namespace Repro.Experiments.Tables;

/// <summary>Marks a static class whose `public static readonly TableSpec Spec` is a reproducible paper table.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class PaperTableAttribute : Attribute;

/// <summary>The paper tables the kit reproduces, by id (`repro reproduce &lt;id&gt;`): every [PaperTable] class.</summary>
public static class PaperTables
{
    static readonly Lazy<Dictionary<string, TableSpec>> Tables = new(() =>
        typeof(PaperTables).Assembly.GetTypes()
            .Where(t => t.GetCustomAttribute<PaperTableAttribute>() is not null)
            .Select(t => (TableSpec)(t.GetField("Spec", BindingFlags.Public | BindingFlags.Static)?.GetValue(null)
                                      ?? throw new InvalidOperationException($"{t.Name} is a [PaperTable] without a public static Spec field.")))
            .ToDictionary(s => s.Id));

    public static IEnumerable<string> Ids => Tables.Value.Keys.Order();

    public static TableSpec Get(string id) => Tables.Value.TryGetValue(id, out var t) ? t
        : throw new ArgumentException($"Unknown experiment '{id}'; known: {string.Join(", ", Ids)}.");
}
