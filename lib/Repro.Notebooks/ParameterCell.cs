using System.Text.Json.Nodes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Repro.Notebooks.Scripting;
using Repro.Reporting;

namespace Repro.Notebooks;

/// <summary>
/// A parameter a notebook reads through <c>Repro.Reporting.NotebookParameters</c>: its name, the getter's type, the
/// default as written (a literal's value, else the expression's code), the choices when the getter lists them, and the
/// cells (1-based, counting markdown cells) that read it.
/// </summary>
public sealed record DeclaredParameter(string Name, string Type, string? Default, IReadOnlyList<string> Choices, IReadOnlyList<int> Cells);

/// <summary>
/// The parameter cell of a notebook (papermill's convention: the code cell tagged <c>parameters</c> in its metadata, or,
/// for editors that cannot tag cells, a code cell whose first line is the comment <c>// parameters</c>) and the
/// parameters a notebook declares, found by reading its code (no cell runs): every call of a
/// <c>NotebookParameters</c> getter whose first argument is a string literal, <c>NotebookParameters.Profile</c>, and
/// <c>Parameters["name"]</c> on the runner's globals.
/// </summary>
public static class ParameterCell
{
    public const string Tag = "parameters";

    static readonly Dictionary<string, string> Getters = new()
    {
        ["Get"] = "string", ["GetInt"] = "int", ["GetDouble"] = "double", ["GetBool"] = "bool", ["GetChoice"] = "choice",
        ["GetEnum"] = "enum", ["GetList"] = "list", ["GetIntList"] = "int list", ["GetDoubleList"] = "double list",
    };

    /// <summary>The 1-based number of the first parameter cell, or null when the notebook has none.</summary>
    public static int? Find(Notebook notebook)
    {
        for (var i = 0; i < notebook.Cells.Count; i++)
            if (IsParameterCell(notebook.Cells[i])) return i + 1;
        return null;
    }

    public static bool IsParameterCell(NotebookCell cell) =>
        cell.IsCode &&
        ((cell.Metadata["tags"] as JsonArray)?.Any(t => t is JsonValue v && v.TryGetValue<string>(out var s) && s == Tag) == true ||
         string.Equals(cell.FirstLine.TrimEnd(':', '.', ' '), "// " + Tag, StringComparison.OrdinalIgnoreCase));

    /// <summary>Every parameter the notebook's code cells read, in order of first use.</summary>
    public static IReadOnlyList<DeclaredParameter> Declared(Notebook notebook)
    {
        var found = new List<(string Name, string Type, string? Default, List<string> Choices, List<int> Cells)>();
        for (var i = 0; i < notebook.Cells.Count; i++)
        {
            if (!notebook.Cells[i].IsCode) continue;
            var (_, code) = CellParser.Parse(notebook.Cells[i].Source);
            var root = CSharpSyntaxTree.ParseText(code, new CSharpParseOptions(LanguageVersion.Latest, kind: SourceCodeKind.Script)).GetRoot();
            foreach (var node in root.DescendantNodes())
            {
                if (Read(node) is not { } p) continue;
                var known = found.FindIndex(f => string.Equals(f.Name, p.Name, StringComparison.OrdinalIgnoreCase));
                if (known < 0) found.Add((p.Name, p.Type, p.Default, p.Choices, [i + 1]));
                else if (!found[known].Cells.Contains(i + 1)) found[known].Cells.Add(i + 1);
            }
        }
        return found.Select(f => new DeclaredParameter(f.Name, f.Type, f.Default, f.Choices, f.Cells)).ToList();
    }

    static (string Name, string Type, string? Default, List<string> Choices)? Read(SyntaxNode node)
    {
        switch (node)
        {
            case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax m } call
                when IsParametersClass(m.Expression) && Getters.TryGetValue(m.Name.Identifier.Text, out var type):
                var args = call.ArgumentList.Arguments;
                if (args.Count == 0 || Literal(args[0].Expression) is not { } name) return null;
                if (m.Name is GenericNameSyntax g) type = $"enum {g.TypeArgumentList.Arguments[0]}";
                var choices = type == "choice" ? args.Skip(2).SelectMany(a => Values(a.Expression)).ToList() : [];
                return (name, type, args.Count > 1 ? Show(args[1].Expression) : null, choices);
            case MemberAccessExpressionSyntax { Name.Identifier.Text: "Profile" } p when IsParametersClass(p.Expression):
                return ("profile", "choice", NotebookParameters.DefaultProfile, NotebookParameters.Profiles.ToList());
            case ElementAccessExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.Text: "Parameters" } } e
                when e.ArgumentList.Arguments.Count == 1 && Literal(e.ArgumentList.Arguments[0].Expression) is { } key:
                return (key, "string", null, []);
            default:
                return null;
        }
    }

    static bool IsParametersClass(ExpressionSyntax e) => e switch
    {
        IdentifierNameSyntax id => id.Identifier.Text == nameof(NotebookParameters),
        MemberAccessExpressionSyntax m => m.Name.Identifier.Text == nameof(NotebookParameters),
        _ => false,
    };

    static string? Literal(ExpressionSyntax e) =>
        e is LiteralExpressionSyntax l && l.IsKind(SyntaxKind.StringLiteralExpression) ? l.Token.ValueText : null;

    /// <summary>The values of a literal, of a collection expression of literals or of an array of literals.</summary>
    static IEnumerable<string> Values(ExpressionSyntax e) => e switch
    {
        LiteralExpressionSyntax l => [l.Token.ValueText],
        CollectionExpressionSyntax c => c.Elements.OfType<ExpressionElementSyntax>().SelectMany(x => Values(x.Expression)),
        ArrayCreationExpressionSyntax { Initializer: { } init } => init.Expressions.SelectMany(Values),
        ImplicitArrayCreationExpressionSyntax a => a.Initializer.Expressions.SelectMany(Values),
        _ => [e.ToString()],
    };

    static string Show(ExpressionSyntax e) => e switch
    {
        LiteralExpressionSyntax l => l.Token.ValueText,
        CollectionExpressionSyntax or ArrayCreationExpressionSyntax or ImplicitArrayCreationExpressionSyntax => string.Join(", ", Values(e)),
        _ => e.ToString(),
    };

    /// <summary>
    /// One message per name in <paramref name="overrides"/> that the notebook does not read (names in
    /// <paramref name="alwaysAccepted"/>, which the host sets for every notebook, excepted), each with the closest
    /// declared names, or all of them when none is close.
    /// </summary>
    public static IReadOnlyList<string> Unknown(Notebook notebook, string notebookName, IEnumerable<string> overrides, IEnumerable<string> alwaysAccepted)
    {
        var declared = Declared(notebook).Select(p => p.Name).ToList();
        var accepted = declared.Concat(alwaysAccepted).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return overrides.Where(n => !accepted.Contains(n)).Select(n =>
        {
            var close = ClosestNames.Of(n, declared);
            var hint = close.Count > 0 ? $"did you mean {string.Join(" or ", close)}?"
                : declared.Count > 0 ? $"it reads: {string.Join(", ", declared)}" : "it reads no parameters";
            return $"{notebookName}: --param {n}: the notebook has no parameter '{n}'; {hint}";
        }).ToList();
    }
}
