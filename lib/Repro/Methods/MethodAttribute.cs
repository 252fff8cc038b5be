namespace Repro.Methods;

/// <summary>
/// Marks a <see cref="Method"/> class for the registry. The class must have
/// `public static M Create(TOptions options, ModelParts parts)` with TOptions its <see cref="MethodOptions"/> record and
/// M any Method-derived type.
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
    public IReadOnlyList<(string Key, string Value)> Options { get; } = MethodRegistry.Pairs(options, $"alias {alias}");
}
