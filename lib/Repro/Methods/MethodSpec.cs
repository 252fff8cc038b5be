using System.Text.Json;
using System.Text.Json.Nodes;

namespace Repro.Methods;

/// <summary>
/// A registered method and its bound options: what a run trains (<see cref="Repro.Experiments.RunSpec.Method"/>). Made
/// by <see cref="MethodRegistry.Resolve(string, (string Key, string Value)[])"/> from a name or alias and key=value
/// pairs, or by <see cref="MethodRegistry.Spec"/> from an options record made in code.
/// </summary>
public sealed record MethodSpec(string Name, MethodOptions Options)
{
    /// <summary>The options a run's identity holds (<see cref="OptionSchema.Identity"/>).</summary>
    public JsonObject IdentityJson() => OptionSchema.For(Options.GetType()).Identity(Options);

    /// <summary>"name(key=value, ...)" over the options of the identity, keys sorted: how runs are named.</summary>
    public string Describe()
    {
        var o = IdentityJson();
        return o.Count == 0 ? Name
            : $"{Name}({string.Join(", ", o.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={Show(kv.Value)}"))})";
    }

    public override string ToString() => Describe();

    static string Show(JsonNode? n) => n is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : n?.ToJsonString() ?? "null";
}
