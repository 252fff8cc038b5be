using System.Text.Json.Nodes;

namespace Repro.Methods;

/// <summary>
/// Method names to implementations (the timm/PEFT pattern). Aliases are names for a method with some options set,
/// e.g. "concat" = joint(fusion=concat); <see cref="Resolve"/> turns them into the canonical form used in results.
/// </summary>
public static class MethodRegistry
{
    public sealed record Entry(string Name, string Summary, Func<MethodOptions, ModelParts, Method> Create);

    static readonly Dictionary<string, Entry> Methods = new()
    {
        ["joint"] = new("joint", "Joint training of encoders and a fusion head (fusion=concat|sum|film|gated)", Joint.Create),
        ["late"] = new("late", "Late fusion: independent unimodal models, logits averaged", LateFusionMethod.Create),
        ["unimodal"] = new("unimodal", "One modality's encoder and classifier trained alone (modality=...)", Unimodal.Create),
    };

    static readonly Dictionary<string, (string Method, (string Key, string Value)[] Options)> Aliases = new()
    {
        ["concat"] = ("joint", [("fusion", "concat")]),
        ["sum"] = ("joint", [("fusion", "sum")]),
        ["film"] = ("joint", [("fusion", "film")]),
        ["gated"] = ("joint", [("fusion", "gated")]),
        ["bigated"] = ("joint", [("fusion", "gated")]),
        ["late-fusion"] = ("late", []),
    };

    public static IReadOnlyCollection<Entry> Entries => Methods.Values;
    public static IEnumerable<string> Names => Methods.Keys.Concat(Aliases.Keys).Order();

    /// <summary>True when the name is a registered method or alias.</summary>
    public static bool IsKnown(string name) => Methods.ContainsKey(name) || (Aliases.TryGetValue(name, out var a) && Methods.ContainsKey(a.Method));

    /// <summary>Registers a method (used by later method families and by users' own methods).</summary>
    public static void Register(Entry entry) => Methods[entry.Name] = entry;

    /// <summary>Registers a name for a method with some options set.</summary>
    public static void RegisterAlias(string alias, string method, params (string Key, string Value)[] options) => Aliases[alias] = (method, options);

    /// <summary>The canonical method name and options for a name or alias plus user options (user options win).</summary>
    public static MethodOptions Resolve(string name, MethodOptions? options = null)
    {
        var o = options?.ToJson() ?? new JsonObject();
        if (Aliases.TryGetValue(name, out var alias))
        {
            foreach (var (k, v) in alias.Options)
                if (!o.ContainsKey(k)) o[k] = v;
            name = alias.Method;
        }
        if (!Methods.ContainsKey(name))
            throw new ArgumentException($"Unknown method '{name}'. Known: {string.Join(", ", Names)}.");
        return new MethodOptions(name, o);
    }

    public static Method Create(MethodOptions options, ModelParts parts)
    {
        var canonical = Resolve(options.Method, options);
        return Methods[canonical.Method].Create(canonical, parts);
    }
}
