using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Repro.Methods;

/// <summary>
/// The options one <see cref="MethodOptions"/> record declares (base records' options first, each in declaration
/// order), and the one binder every source of options goes through: <see cref="Bind"/> fills a record from key=value
/// pairs, refusing unknown keys and bad values with the closest valid names; <see cref="Identity"/> is what a run's
/// identity holds of it.
/// </summary>
public sealed class OptionSchema
{
    static readonly ConcurrentDictionary<Type, OptionSchema> Cache = new();

    public static OptionSchema For(Type optionsType) => Cache.GetOrAdd(optionsType, t => new OptionSchema(t));

    readonly HashSet<string> _always;

    OptionSchema(Type type)
    {
        if (!typeof(MethodOptions).IsAssignableFrom(type) || type.IsAbstract || type.GetConstructor(Type.EmptyTypes) is null)
            throw new InvalidOperationException($"{type.Name}: method options must be a non-abstract record deriving from MethodOptions with a parameterless constructor.");
        Type = type;
        var defaults = New();
        var chain = new List<Type>();
        for (var t = type; t != typeof(MethodOptions); t = t.BaseType!) chain.Insert(0, t);
        Options = chain.SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly).OrderBy(p => p.MetadataToken))
            .Select(p => (Property: p, Attribute: p.GetCustomAttribute<OptionAttribute>()))
            .Where(p => p.Attribute is not null)
            .Select(p => new OptionDescriptor(p.Property, p.Attribute!, p.Property.GetValue(defaults)))
            .ToArray();
        foreach (var d in Options.GroupBy(o => o.Name).Where(g => g.Count() > 1))
            throw new InvalidOperationException($"{type.Name}: option '{d.Key}' is declared twice.");
        _always = (type.GetCustomAttribute<AlwaysInIdentityAttribute>()?.Names ?? []).ToHashSet();
        foreach (var n in _always.Where(n => Find(n) is null))
            throw new InvalidOperationException($"{type.Name}: [AlwaysInIdentity] names '{n}', which is not one of its options.");
    }

    public Type Type { get; }
    public IReadOnlyList<OptionDescriptor> Options { get; }
    public IEnumerable<string> Names => Options.Select(o => o.Name);

    public OptionDescriptor? Find(string key) => Options.FirstOrDefault(o => o.Name == key);

    /// <summary>A record with every option at its default.</summary>
    public MethodOptions New() => (MethodOptions)Activator.CreateInstance(Type)!;

    /// <summary>
    /// The record with <paramref name="values"/> set (text as the CLI gives it, or JSON values from a parity fixture;
    /// a later value of the same key wins). Every unknown key and bad value is reported in one
    /// <see cref="ArgumentException"/>; <paramref name="ignoreUnknown"/> skips keys the method does not declare (parity
    /// fixtures carry notes beside their options).
    /// </summary>
    public MethodOptions Bind(string method, IEnumerable<KeyValuePair<string, JsonNode?>> values, bool ignoreUnknown = false)
    {
        var o = New();
        var problems = new List<string>();
        foreach (var (key, node) in values)
        {
            if (Find(key) is not { } d)
            {
                if (!ignoreUnknown) problems.Add($"unknown option '{key}'{ClosestNames.Suggest(key, Names)}");
                continue;
            }
            try { d.Property.SetValue(o, d.Parse(node)); }
            catch (Exception e) when (e is FormatException or JsonException)
            {
                problems.Add($"option {key}={(node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : node?.ToJsonString() ?? "null")}: {e.Message}");
            }
        }
        Throw(method, problems);
        return o;
    }

    /// <summary>Refuses a record made in code whose values the options do not allow (a number out of range, an unset required value).</summary>
    public void Check(string method, MethodOptions o)
    {
        var problems = new List<string>();
        foreach (var d in Options)
        {
            var text = d.Format(d.Property.GetValue(o));
            try { d.Parse(text is null ? null : JsonValue.Create(text)); }
            catch (FormatException e) { problems.Add($"option {d.Name}={text ?? "unset"}: {e.Message}"); }
        }
        Throw(method, problems);
    }

    void Throw(string method, List<string> problems)
    {
        if (problems.Count == 0) return;
        throw new ArgumentException($"Method {method}: {string.Join("; ", problems)}. " +
                                    $"Its options: {(Options.Count == 0 ? "none" : string.Join(", ", Names))} (`repro methods {method}` describes them).");
    }

    /// <summary>
    /// What a run's identity holds of the options: those that differ from their default (and those the record names
    /// [<see cref="AlwaysInIdentityAttribute"/>]), in declaration order, each value typed as the command line types its
    /// text (a number, true/false, a comma-separated list, or text), so a value given in code, in a table or on the
    /// command line names the same run, and an option set to its default names the same run as no option.
    /// </summary>
    public JsonObject Identity(MethodOptions o)
    {
        var json = new JsonObject();
        foreach (var d in Options)
        {
            var value = d.Property.GetValue(o);
            if (d.Format(value) is not { } text) continue;
            if (!_always.Contains(d.Name) && text == d.Format(d.Default)) continue;
            json[d.Name] = value is JsonObject obj ? obj.DeepClone() : Typed(text);
        }
        return json;
    }

    static JsonNode Typed(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? JsonValue.Create(d)
        : bool.TryParse(text, out var b) ? JsonValue.Create(b)
        : text.Contains(',') ? new JsonArray(text.Split(',').Select(s => (JsonNode?)JsonValue.Create(s.Trim())).ToArray())
        : JsonValue.Create(text);
}
