namespace Repro.Methods;

/// <summary>
/// Declares a property of a <see cref="MethodOptions"/> record as a method option: its key (snake_case, as
/// <c>--option key=value</c>, table columns and lessons write it), what it means in one line, and which paper or code
/// it follows. The property's type gives the option's type, its initial value the default, an enum's members the
/// choices (<see cref="ChoiceAttribute"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = true)]
public sealed class OptionAttribute(string name, string meaning) : Attribute
{
    public string Name { get; } = name;
    public string Meaning { get; } = meaning;
    /// <summary>The paper equation or official code the option (or its default) follows, e.g. "MLA eq. 3-5".</summary>
    public string? Source { get; init; }
    /// <summary>For an option whose default is null: what leaving it unset means, e.g. "the dataset's first modality".</summary>
    public string? Default { get; init; }
    /// <summary>A word that sets a nullable option back to unset, e.g. "auto".</summary>
    public string? Unset { get; init; }
    /// <summary>The smallest and largest value a number may take (NaN: no bound).</summary>
    public double Min { get; init; } = double.NaN;
    public double Max { get; init; } = double.NaN;
    /// <summary>A bound a number must exceed (NaN: none), e.g. 0 for a value that must be positive.</summary>
    public double Above { get; init; } = double.NaN;
}

/// <summary>The name an enum member takes as an option value (default: the member's name in lower case), and what it means.</summary>
[AttributeUsage(AttributeTargets.Field)]
public sealed class ChoiceAttribute(string name, string meaning = "") : Attribute
{
    public string Name { get; } = name;
    public string Meaning { get; } = meaning;
}

/// <summary>
/// Options that are part of a run's identity even at their default (normally only options that differ from their
/// default are). For options that name the variant a run is (<c>concat</c> is joint with fusion=concat, so
/// <c>joint</c> and <c>concat</c> must name one run), or that a caller always states (the encoder size a
/// pretraining run is for).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class AlwaysInIdentityAttribute(params string[] names) : Attribute
{
    public IReadOnlyList<string> Names { get; } = names;
}
