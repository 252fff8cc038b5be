namespace Repro.Methods;

/// <summary>
/// Marks a <see cref="Method"/> subclass for the registry. The class must have
/// `public static Method Create(MethodOptions options, ModelParts parts)` (any Method-derived return type).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class MethodAttribute(string name, string summary) : Attribute
{
    public string Name { get; } = name;
    public string Summary { get; } = summary;
    /// <summary>
    /// Raised when a change makes the same options train differently (a new default, a fixed bug): above 1 it enters
    /// the run identity, so runs stored by the older code are not reused.
    /// </summary>
    public int Version { get; init; } = 1;
}

/// <summary>A name for a registered method with some options set, e.g. [MethodAlias("concat", "joint", "fusion=concat")].</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class MethodAliasAttribute(string alias, string method, params string[] options) : Attribute
{
    public string Alias { get; } = alias;
    public string Method { get; } = method;
    public (string Key, string Value)[] Options { get; } = options.Select(o =>
    {
        int eq = o.IndexOf('=');
        return eq > 0 ? (o[..eq], o[(eq + 1)..]) : throw new ArgumentException($"Alias {alias}: option '{o}' is not key=value.");
    }).ToArray();
}
