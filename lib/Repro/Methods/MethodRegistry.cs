using System.Reflection;
using System.Text.Json.Nodes;

namespace Repro.Methods;

/// <summary>
/// Method names to implementations (the timm/PEFT pattern): every class marked [Method] in the kit is registered with
/// its options record (the first parameter of its Create) and its [MethodAlias] names. An alias is a method with some
/// options set, e.g. "concat" = joint(fusion=concat); <see cref="Resolve(string, (string Key, string Value)[])"/> turns
/// a name and key=value pairs into the canonical <see cref="MethodSpec"/> runs are stored under.
/// </summary>
public static class MethodRegistry
{
    public sealed record Entry(string Name, string Summary, Type OptionsType, Func<MethodOptions, ModelParts, Method> Create, int Version = 1)
    {
        public OptionSchema Schema => OptionSchema.For(OptionsType);
    }

    public sealed record Alias(string Name, string Method, IReadOnlyList<(string Key, string Value)> Options);

    static readonly Dictionary<string, Entry> Methods = new();
    static readonly Dictionary<string, Alias> Aliases = new();

    static MethodRegistry() => Discover(typeof(MethodRegistry).Assembly);

    /// <summary>Registers every [Method] class of an assembly (the kit's own, or a user's).</summary>
    public static void Discover(Assembly assembly)
    {
        foreach (var type in assembly.GetTypes())
        {
            var attr = type.GetCustomAttribute<MethodAttribute>();
            if (attr is null) continue;
            var create = type.GetMethods(BindingFlags.Public | BindingFlags.Static).FirstOrDefault(m => m.Name == "Create"
                             && m.GetParameters() is [var o, var p] && typeof(MethodOptions).IsAssignableFrom(o.ParameterType) && p.ParameterType == typeof(ModelParts)
                             && typeof(Method).IsAssignableFrom(m.ReturnType))
                         ?? throw new InvalidOperationException($"{type.Name} is marked [Method(\"{attr.Name}\")] but has no public static Create(TOptions, ModelParts) with TOptions a MethodOptions record.");
            var optionsType = create.GetParameters()[0].ParameterType;
            Register(new Entry(attr.Name, attr.Summary, optionsType,
                (o, p) => (Method)create.Invoke(null, BindingFlags.DoNotWrapExceptions, null, [o, p], null)!, attr.Version));
            foreach (var alias in type.GetCustomAttributes<MethodAliasAttribute>())
                Aliases[alias.Alias] = new Alias(alias.Alias, alias.Method, alias.Options);
        }
    }

    public static IReadOnlyCollection<Entry> Entries => Methods.Values;
    public static IEnumerable<string> Names => Methods.Keys.Concat(Aliases.Keys).Order(StringComparer.Ordinal);
    public static IEnumerable<Alias> AliasesOf(string method) => Aliases.Values.Where(a => a.Method == method).OrderBy(a => a.Name, StringComparer.Ordinal);

    /// <summary>True when the name is a registered method or alias.</summary>
    public static bool IsKnown(string name) => Methods.ContainsKey(name) || (Aliases.TryGetValue(name, out var a) && Methods.ContainsKey(a.Method));

    public static void Register(Entry entry) => Methods[entry.Name] = entry;

    /// <summary>The registered method of a name or alias; an unknown name is refused with the closest known ones.</summary>
    public static Entry Get(string name) =>
        Methods.TryGetValue(Aliases.TryGetValue(name, out var a) ? a.Method : name, out var e) ? e
        : throw new ArgumentException($"Unknown method '{name}'{ClosestNames.Suggest(name, Names)}; `repro methods` lists them all.");

    /// <summary>The canonical method and bound options of a name or alias plus options (the caller's win over the alias's).</summary>
    public static MethodSpec Resolve(string name, params (string Key, string Value)[] options) =>
        Resolve(name, options.Select(o => KeyValuePair.Create(o.Key, (JsonNode?)JsonValue.Create(o.Value))));

    /// <summary>As <see cref="Resolve(string, (string Key, string Value)[])"/>, from <c>key=value</c> texts (the CLI's <c>--option</c>).</summary>
    public static MethodSpec Parse(string name, IEnumerable<string> keyEqualsValue) => Resolve(name, Pairs(keyEqualsValue, $"method {name}").ToArray());

    /// <summary>
    /// As <see cref="Resolve(string, (string Key, string Value)[])"/> with values as JSON (a parity fixture's options);
    /// <paramref name="ignoreUnknown"/> skips keys the method does not declare.
    /// </summary>
    public static MethodSpec Resolve(string name, IEnumerable<KeyValuePair<string, JsonNode?>> options, bool ignoreUnknown = false)
    {
        var entry = Get(name);
        var given = options.ToList();
        if (Aliases.TryGetValue(name, out var alias))
            given.AddRange(alias.Options.Where(a => given.All(g => g.Key != a.Key)).Select(a => KeyValuePair.Create(a.Key, (JsonNode?)JsonValue.Create(a.Value))));
        return new MethodSpec(entry.Name, entry.Schema.Bind(entry.Name, given, ignoreUnknown));
    }

    /// <summary>The spec of an options record made in code (<c>new MlaOptions { Hgm = HgmMode.Off }</c>), checked like bound options.</summary>
    public static MethodSpec Spec(MethodOptions options)
    {
        var entry = Methods.Values.FirstOrDefault(e => e.OptionsType == options.GetType())
                    ?? throw new ArgumentException($"{options.GetType().Name} is not the options record of a registered method.");
        entry.Schema.Check(entry.Name, options);
        return new MethodSpec(entry.Name, options);
    }

    /// <summary>The registered method's version (<see cref="MethodAttribute.Version"/>); 1 for a name not registered.</summary>
    public static int VersionOf(string method) => Methods.TryGetValue(method, out var e) ? e.Version : 1;

    public static Method Create(MethodSpec spec, ModelParts parts)
    {
        var entry = Get(spec.Name);
        if (spec.Options.GetType() != entry.OptionsType)
            throw new ArgumentException($"Method {spec.Name} takes {entry.OptionsType.Name}, not {spec.Options.GetType().Name}.");
        var method = entry.Create(spec.Options, parts);
        method.Name = spec.Name;
        return method;
    }

    /// <summary>"key=value" texts as pairs; anything else is refused naming <paramref name="owner"/>.</summary>
    public static IReadOnlyList<(string Key, string Value)> Pairs(IEnumerable<string> keyEqualsValue, string owner) => keyEqualsValue.Select(kv =>
    {
        int eq = kv.IndexOf('=');
        return eq > 0 ? (kv[..eq].Trim(), kv[(eq + 1)..].Trim()) : throw new ArgumentException($"Option '{kv}' of {owner}: expected key=value.");
    }).ToArray();
}
