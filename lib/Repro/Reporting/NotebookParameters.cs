using System.Globalization;
using System.Text;

namespace Repro.Reporting;

/// <summary>
/// Parameters of a notebook, read from environment variables <c>REPRO_PARAM_&lt;NAME&gt;</c> (the name upper-cased,
/// characters other than letters, digits and '_' replaced by '_'). The kit's headless runner sets them for the
/// duration of a run (<c>RunOptions.Parameters</c>); in VS Code a user sets the variable or edits the default in the
/// cell, so the same cell works in both:
/// <code>var profile = NotebookParameters.Get("profile", "embedded");</code>
/// An unset or empty variable gives the default.
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

    /// <summary>The parameter's value, or <paramref name="defaultValue"/> when the variable is unset or empty.</summary>
    public static string Get(string name, string defaultValue)
    {
        var v = Environment.GetEnvironmentVariable(VariableName(name));
        return string.IsNullOrEmpty(v) ? defaultValue : v;
    }

    public static int GetInt(string name, int defaultValue) =>
        Parse(name, defaultValue, s => int.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture));

    public static double GetDouble(string name, double defaultValue) =>
        Parse(name, defaultValue, s => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture));

    public static bool GetBool(string name, bool defaultValue) =>
        Parse(name, defaultValue, s => s.Trim().ToLowerInvariant() switch
        {
            "1" or "true" or "yes" or "on" => true,
            "0" or "false" or "no" or "off" => false,
            _ => throw new FormatException("expected true/false, yes/no, on/off or 1/0"),
        });

    /// <summary>The "profile" parameter (smoke, embedded or paper; embedded by default), checked.</summary>
    public static string Profile
    {
        get
        {
            var p = Get("profile", DefaultProfile).Trim().ToLowerInvariant();
            if (!Profiles.Contains(p))
                throw new ArgumentException($"{VariableName("profile")}='{p}' is not a profile; expected one of: {string.Join(", ", Profiles)}");
            return p;
        }
    }

    static T Parse<T>(string name, T defaultValue, Func<string, T> parse)
    {
        var v = Environment.GetEnvironmentVariable(VariableName(name));
        if (string.IsNullOrEmpty(v)) return defaultValue;
        try { return parse(v); }
        catch (FormatException e) { throw new ArgumentException($"{VariableName(name)}='{v}' is not a valid {typeof(T).Name}: {e.Message}", e); }
        catch (OverflowException e) { throw new ArgumentException($"{VariableName(name)}='{v}' is out of range for {typeof(T).Name}", e); }
    }
}
