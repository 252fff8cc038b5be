using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Repro.Methods;

/// <summary>
/// One declared option (<see cref="OptionAttribute"/> on a property of a <see cref="MethodOptions"/> record): its key,
/// type, default and choices, how a value is read from text or JSON, and how it is written back as canonical text.
/// Types: text, whole number, number, true/false, an enum (choices), a comma-separated list of text or of whole numbers,
/// a JSON object; any of them nullable (unset).
/// </summary>
public sealed class OptionDescriptor
{
    readonly Type _type;        // the property type without Nullable<>
    readonly bool _nullable;

    internal OptionDescriptor(PropertyInfo property, OptionAttribute attribute, object? defaultValue)
    {
        Property = property;
        Name = attribute.Name;
        Meaning = attribute.Meaning;
        Source = attribute.Source;
        Attribute = attribute;
        Default = defaultValue;
        _type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        _nullable = Nullable.GetUnderlyingType(property.PropertyType) is not null
                    || new NullabilityInfoContext().Create(property).WriteState == NullabilityState.Nullable;
        if (_nullable && defaultValue is not null)
            throw new InvalidOperationException($"{property.DeclaringType?.Name}.{property.Name}: a nullable option's default must be null (unset); say what unset means with Default.");
        if (_type.IsEnum)
            Choices = _type.GetFields(BindingFlags.Public | BindingFlags.Static)
                .Select(f => f.GetCustomAttribute<ChoiceAttribute>() is { } c ? (c.Name, c.Meaning, f.GetValue(null)!) : (f.Name.ToLowerInvariant(), "", f.GetValue(null)!))
                .ToArray();
        else if (!Supported.Contains(_type))
            throw new InvalidOperationException($"{property.DeclaringType?.Name}.{property.Name}: option type {_type.Name} is not supported.");
    }

    static readonly Type[] Supported = [typeof(string), typeof(int), typeof(double), typeof(bool), typeof(IReadOnlyList<string>), typeof(IReadOnlyList<int>), typeof(JsonObject)];

    public PropertyInfo Property { get; }
    public string Name { get; }
    public string Meaning { get; }
    public string? Source { get; }
    public OptionAttribute Attribute { get; }
    public object? Default { get; }
    /// <summary>An enum option's values: name, meaning, and the enum member.</summary>
    public IReadOnlyList<(string Name, string Meaning, object Value)>? Choices { get; }

    /// <summary>What values look like, for help texts: "paper | official", "number", "whole number >= 1", ...</summary>
    public string TypeText
    {
        get
        {
            var t = Choices is not null ? string.Join(" | ", Choices.Select(c => c.Name))
                : _type == typeof(string) ? "text"
                : _type == typeof(int) ? "whole number"
                : _type == typeof(double) ? "number"
                : _type == typeof(bool) ? "true | false"
                : _type == typeof(IReadOnlyList<string>) ? "comma-separated names"
                : _type == typeof(IReadOnlyList<int>) ? "comma-separated whole numbers"
                : "JSON object";
            var a = Attribute;
            if (!double.IsNaN(a.Min) && !double.IsNaN(a.Max)) t += $" in [{Text(a.Min)}, {Text(a.Max)}]";
            else if (!double.IsNaN(a.Min)) t += $" >= {Text(a.Min)}";
            else if (!double.IsNaN(a.Max)) t += $" <= {Text(a.Max)}";
            if (!double.IsNaN(a.Above)) t += $" > {Text(a.Above)}";
            return a.Unset is { } u ? $"{u} | {t}" : t;
        }
    }

    /// <summary>The default as help texts show it.</summary>
    public string DefaultText => Format(Default) ?? Attribute.Unset ?? Attribute.Default ?? "unset";

    /// <summary>Canonical text of a value (what <c>--option key=TEXT</c> would set it to); null for unset.</summary>
    public string? Format(object? value) => value switch
    {
        null => null,
        string s => s,
        int i => i.ToString(CultureInfo.InvariantCulture),
        double d => Text(d),
        bool b => b ? "true" : "false",
        Enum e => Choices!.First(c => Equals(c.Value, e)).Name,
        IReadOnlyList<string> l => string.Join(",", l),
        IReadOnlyList<int> l => string.Join(",", l.Select(i => i.ToString(CultureInfo.InvariantCulture))),
        JsonObject o => o.ToJsonString(),
        _ => throw new InvalidOperationException($"Option {Name}: cannot format a {value.GetType().Name}."),
    };

    static string Text(double d) => d.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Reads a value given as text (the CLI, tables, lessons) or as JSON (parity fixtures); null when <paramref name="node"/> unsets it.</summary>
    /// <exception cref="FormatException">The value is not one this option accepts; the message says what is allowed.</exception>
    public object? Parse(JsonNode? node)
    {
        string? text = node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>().Trim() : null;
        if (node is null || (text is not null && Attribute.Unset is { } unset && string.Equals(text, unset, StringComparison.OrdinalIgnoreCase)))
            return _nullable ? null : throw new FormatException($"expected {TypeText}");
        object value = _type switch
        {
            _ when Choices is not null => Choice(text ?? node.ToJsonString()),
            _ when _type == typeof(string) => text ?? node.ToJsonString(),
            _ when _type == typeof(int) => Whole(text, node),
            _ when _type == typeof(double) => Number(text, node),
            _ when _type == typeof(bool) => text is not null ? bool.TryParse(text, out var b) ? b : throw Expected()
                                            : node.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? node.GetValue<bool>() : throw Expected(),
            _ when _type == typeof(IReadOnlyList<string>) => List(text, node).ToArray(),
            _ when _type == typeof(IReadOnlyList<int>) => List(text, node).Select(s => Whole(s, null)).ToArray(),
            _ => node is JsonObject o ? o.DeepClone() : text is not null && JsonNode.Parse(text) is JsonObject p ? p : throw Expected(),
        };
        var a = Attribute;
        if (value is int or double)
        {
            double x = Convert.ToDouble(value, CultureInfo.InvariantCulture);
            if ((!double.IsNaN(a.Min) && x < a.Min) || (!double.IsNaN(a.Max) && x > a.Max) || (!double.IsNaN(a.Above) && !(x > a.Above))) throw Expected();
        }
        return value;
    }

    FormatException Expected() => new($"expected {TypeText}");

    object Choice(string text)
    {
        foreach (var c in Choices!)
            if (string.Equals(c.Name, text, StringComparison.OrdinalIgnoreCase)) return c.Value;
        throw new FormatException($"expected one of {string.Join(", ", Choices.Select(c => c.Name))}{ClosestNames.Suggest(text, Choices.Select(c => c.Name))}");
    }

    int Whole(string? text, JsonNode? node)
    {
        double d = Number(text, node);
        return d == Math.Floor(d) && Math.Abs(d) <= int.MaxValue ? (int)d : throw Expected();
    }

    double Number(string? text, JsonNode? node)
    {
        if (text is not null) return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : throw Expected();
        return node!.GetValueKind() == JsonValueKind.Number ? double.Parse(node.ToJsonString(), CultureInfo.InvariantCulture) : throw Expected();
    }

    static IEnumerable<string> List(string? text, JsonNode node) => text is not null
        ? text.Split(',').Select(s => s.Trim()).Where(s => s.Length > 0)
        : node is JsonArray a ? a.Select(x => x is JsonValue xv && xv.GetValueKind() == JsonValueKind.String ? xv.GetValue<string>() : x?.ToJsonString() ?? "")
        : [node.ToJsonString()];
}
