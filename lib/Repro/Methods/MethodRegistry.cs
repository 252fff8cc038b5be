using System.Reflection;
using System.Text.Json.Nodes;

namespace Repro.Methods;

/// <summary>
/// Method names to implementations (the timm/PEFT pattern): every class marked [Method] in the kit is registered,
/// with its [MethodAlias] names. An alias is a method with some options set, e.g. "concat" = joint(fusion=concat);
/// <see cref="Resolve"/> turns a name into the canonical form results are stored under.
/// </summary>
public static class MethodRegistry
{
    public sealed record Entry(string Name, string Summary, Func<MethodOptions, ModelParts, Method> Create, int Version = 1);

    static readonly Dictionary<string, Entry> Methods = new();
    static readonly Dictionary<string, (string Method, (string Key, string Value)[] Options)> Aliases = new();

    static MethodRegistry() => Discover(typeof(MethodRegistry).Assembly);

    /// <summary>Registers every [Method] class of an assembly (the kit's own, or a user's).</summary>
    public static void Discover(Assembly assembly)
    {
        foreach (var type in assembly.GetTypes())
        {
            var attr = type.GetCustomAttribute<MethodAttribute>();
            if (attr is null) continue;
            var create = type.GetMethod("Create", BindingFlags.Public | BindingFlags.Static, [typeof(MethodOptions), typeof(ModelParts)])
                         ?? throw new InvalidOperationException($"{type.Name} is marked [Method(\"{attr.Name}\")] but has no public static Create(MethodOptions, ModelParts).");
            Register(new Entry(attr.Name, attr.Summary, (o, p) => (Method)create.Invoke(null, BindingFlags.DoNotWrapExceptions, null, [o, p], null)!, attr.Version));
            foreach (var alias in type.GetCustomAttributes<MethodAliasAttribute>())
                Aliases[alias.Alias] = (alias.Method, alias.Options);
        }
    }

    public static IReadOnlyCollection<Entry> Entries => Methods.Values;
    public static IEnumerable<string> Names => Methods.Keys.Concat(Aliases.Keys).Order();
    public static IReadOnlyDictionary<string, (string Method, (string Key, string Value)[] Options)> AliasTable => Aliases;

    /// <summary>True when the name is a registered method or alias.</summary>
    public static bool IsKnown(string name) => Methods.ContainsKey(name) || (Aliases.TryGetValue(name, out var a) && Methods.ContainsKey(a.Method));

    public static void Register(Entry entry) => Methods[entry.Name] = entry;

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

    /// <summary>The registered method's version (<see cref="MethodAttribute.Version"/>); 1 for a name not registered.</summary>
    public static int VersionOf(string method) => Methods.TryGetValue(method, out var e) ? e.Version : 1;

    public static Method Create(MethodOptions options, ModelParts parts)
    {
        var canonical = Resolve(options.Method, options);
        return Methods[canonical.Method].Create(canonical, parts);
    }
}
