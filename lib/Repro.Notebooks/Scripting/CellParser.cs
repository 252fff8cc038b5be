using System.Text;
using System.Text.RegularExpressions;

namespace Repro.Notebooks.Scripting;

/// <summary>A directive line of a cell: <c>#r "..."</c>, <c>#i "..."</c> or <c>#!name args</c>.</summary>
internal sealed record Directive(int Line, string Kind, string Name, string Argument, string Text);

/// <summary>
/// Splits a cell into its directives and its C# code. Directive lines may appear anywhere in the cell (Roslyn itself
/// accepts <c>#r</c> only before the first token, so they are hoisted); in the code they become empty lines, so compile
/// errors keep the cell's line numbers.
/// </summary>
internal static partial class CellParser
{
    /// <summary>Polyglot's names for the C# kernel, accepted as a first-line kernel selector.</summary>
    public static readonly IReadOnlySet<string> CSharpKernelNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "csharp", "c#", "cs" };

    /// <summary>Other Polyglot kernels (selected by <c>#!name</c> or cell metadata), which the runner does not run.</summary>
    public static readonly IReadOnlySet<string> OtherKernelNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "fsharp", "f#", "fs", "pwsh", "powershell", "javascript", "js", "html", "markdown", "md", "sql", "kql",
        "mermaid", "http", "value", "python", "r", "vscode", "webview", "typescript", "ts", "mssql",
    };

    public static (IReadOnlyList<Directive> Directives, string Code) Parse(string source)
    {
        var lines = source.Replace("\r\n", "\n").Split('\n');
        var directives = new List<Directive>();
        var code = new StringBuilder();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            Directive? d = null;
            if (RDirective().Match(line) is { Success: true } r) d = new(i + 1, "r", "r", r.Groups["arg"].Value, line.Trim());
            else if (IDirective().Match(line) is { Success: true } inc) d = new(i + 1, "i", "i", inc.Groups["arg"].Value, line.Trim());
            else if (MagicDirective().Match(line) is { Success: true } m)
                d = new(i + 1, "!", m.Groups["name"].Value, m.Groups["arg"].Value.Trim(), line.Trim());
            if (d is not null) directives.Add(d);
            else code.Append(line);
            if (i < lines.Length - 1) code.Append('\n');
        }
        return (directives, code.ToString());
    }

    /// <summary>A directive argument without its surrounding double quotes, if it has them.</summary>
    public static string Unquote(string argument)
    {
        var a = argument.Trim();
        return a.Length >= 2 && a[0] == '"' && a[^1] == '"' ? a[1..^1] : a;
    }

    [GeneratedRegex("""^\s*#r\s+"(?<arg>[^"]*)"\s*(//.*)?$""")]
    private static partial Regex RDirective();

    [GeneratedRegex("""^\s*#i\s+"(?<arg>[^"]*)"\s*(//.*)?$""")]
    private static partial Regex IDirective();

    [GeneratedRegex(@"^\s*#!(?<name>[^\s]+)(?<arg>\s.*)?$")]
    private static partial Regex MagicDirective();
}
