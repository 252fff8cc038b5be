using System.Globalization;
using System.Text;

namespace Repro.Reporting;

/// <summary>
/// Parameters of a notebook, read from environment variables <c>REPRO_PARAM_&lt;NAME&gt;</c> (the name upper-cased,
/// characters other than letters, digits and '_' replaced by '_'). The kit's headless runner sets them for the
/// duration of a run (<c>repro notebooks run ... --param name=value</c>, <c>RunOptions.Parameters</c>); in VS Code a
/// user sets the variable or edits the default in the cell, so the same cell works in both. A lesson reads all of them
/// in its parameter cell (its first code cell, tagged <c>parameters</c>), one typed getter per parameter, with the
/// default as a literal, which is what <c>repro notebooks params</c> lists:
/// <code>
/// var dataset = NotebookParameters.GetChoice("dataset", "cremad", "cremad", "ks");
/// var seeds = NotebookParameters.GetInt("seeds", 1);
/// var columns = NotebookParameters.GetList("columns", ["Concat", "MLA"]);
/// </code>
/// An unset or empty variable gives the default; a value that does not parse is refused, naming the variable, the value
/// and what was expected.
/// </summary>
public static class NotebookParameters
{
    public const string Prefix = "REPRO_PARAM_";

    /// <summary>The run profiles' names, smallest first (<see cref="Experiments.Profile.All"/>).</summary>
    public static IReadOnlyList<string> Profiles { get; } = [.. Experiments.Profile.Names];
    public static string DefaultProfile => Experiments.Profile.Default.Name;

    /// <summary>The environment variable that carries a parameter, e.g. "max-epochs" -> REPRO_PARAM_MAX_EPOCHS.</summary>
    public static string VariableName(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var sb = new StringBuilder(Prefix);
        foreach (var ch in name.Trim())
            sb.Append(char.IsAsciiLetterOrDigit(ch) ? char.ToUpperInvariant(ch) : '_');
        return sb.ToString();
    }

    /// <summary>The value set for a parameter, or null when its variable is unset or empty.</summary>
    public static string? Override(string name) => Environment.GetEnvironmentVariable(VariableName(name)) is { Length: > 0 } v ? v : null;

    /// <summary>The parameter's value, or <paramref name="defaultValue"/> when the variable is unset or empty.</summary>
    public static string Get(string name, string defaultValue) => Override(name) ?? defaultValue;

    public static int GetInt(string name, int defaultValue) => Parse(name, defaultValue, ParseInt, "an integer");

    public static double GetDouble(string name, double defaultValue) => Parse(name, defaultValue, ParseDouble, "a number");

    public static bool GetBool(string name, bool defaultValue) =>
        Parse(name, defaultValue, s => s.Trim().ToLowerInvariant() switch
        {
            "1" or "true" or "yes" or "on" => true,
            "0" or "false" or "no" or "off" => false,
            _ => throw new FormatException(),
        }, "true/false, yes/no, on/off or 1/0");

    /// <summary>One of <paramref name="choices"/> (matched ignoring case, returned as listed); anything else is refused
    /// with the choices and the closest of them.</summary>
    public static string GetChoice(string name, string defaultValue, params string[] choices)
    {
        if (choices.Length == 0) throw new ArgumentException($"parameter {name}: no choices given", nameof(choices));
        if (!choices.Contains(defaultValue, StringComparer.OrdinalIgnoreCase))
            throw new ArgumentException($"parameter {name}: the default '{defaultValue}' is not one of its choices ({string.Join(", ", choices)})");
        var v = (Override(name) ?? defaultValue).Trim();
        return choices.FirstOrDefault(c => string.Equals(c, v, StringComparison.OrdinalIgnoreCase))
               ?? throw new ArgumentException($"{VariableName(name)}='{v}' is not one of: {string.Join(", ", choices)}{ClosestNames.Hint(v, choices)}");
    }

    /// <summary>An enum member by name, ignoring case, '-' and '_' (so "test-best" is TestBest); anything else is
    /// refused with the members.</summary>
    public static TEnum GetEnum<TEnum>(string name, TEnum defaultValue) where TEnum : struct, Enum
    {
        var v = Override(name);
        if (v is null) return defaultValue;
        static string Key(string s) => s.Replace("-", "").Replace("_", "").Trim().ToLowerInvariant();
        var names = Enum.GetNames<TEnum>();
        var match = names.FirstOrDefault(n => Key(n) == Key(v));
        return match is not null
            ? Enum.Parse<TEnum>(match)
            : throw new ArgumentException($"{VariableName(name)}='{v}' is not one of: {string.Join(", ", names)}{ClosestNames.Hint(v, names)}");
    }

    /// <summary>A comma-separated list (items trimmed, empty items dropped).</summary>
    public static IReadOnlyList<string> GetList(string name, IReadOnlyList<string> defaultValue) =>
        Override(name) is { } v ? Items(v) : defaultValue;

    public static IReadOnlyList<int> GetIntList(string name, IReadOnlyList<int> defaultValue) =>
        Parse(name, defaultValue, s => Items(s).Select(ParseInt).ToList(), "a comma-separated list of integers");

    public static IReadOnlyList<double> GetDoubleList(string name, IReadOnlyList<double> defaultValue) =>
        Parse(name, defaultValue, s => Items(s).Select(ParseDouble).ToList(), "a comma-separated list of numbers");

    /// <summary>The "profile" parameter (smoke, embedded or paper; embedded by default), checked.</summary>
    public static string Profile => GetChoice("profile", DefaultProfile, [.. Profiles]);

    static List<string> Items(string s) => s.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
    static int ParseInt(string s) => int.Parse(s.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture);
    static double ParseDouble(string s) => double.Parse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture);

    static T Parse<T>(string name, T defaultValue, Func<string, T> parse, string expected)
    {
        var v = Override(name);
        if (v is null) return defaultValue;
        try { return parse(v); }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new ArgumentException($"{VariableName(name)}='{v}' is not valid: expected {expected}", e);
        }
    }
}
