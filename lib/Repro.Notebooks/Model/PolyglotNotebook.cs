using System.Text.Json.Nodes;

namespace Repro.Notebooks;

/// <summary>
/// The metadata a C# Polyglot notebook carries (what VS Code's Polyglot Notebooks extension writes), and a factory for
/// new notebooks with it, so that the kit's lessons can be generated and checked by code.
/// </summary>
public static class PolyglotNotebook
{
    public const string KernelName = "csharp";
    public const string KernelspecDisplayName = ".NET (C#)";
    public const string KernelspecLanguage = "C#";
    public const string KernelspecName = ".net-csharp";
    public const string LanguageInfoName = "polyglot-notebook";
    /// <summary>language_info.name written by older versions of the extension, still accepted.</summary>
    public const string LegacyLanguageInfoName = "C#";

    /// <summary>A new nbformat 4.5 notebook with C# Polyglot metadata; cell ids are derived from position and content.</summary>
    public static Notebook Create(IEnumerable<NotebookCell> cells)
    {
        var nb = new Notebook { NbFormat = 4, NbFormatMinor = 5, Metadata = NotebookMetadata() };
        nb.Cells.AddRange(cells);
        nb.EnsureCellIds();
        return nb;
    }

    public static Notebook Create(params NotebookCell[] cells) => Create((IEnumerable<NotebookCell>)cells);

    /// <summary>A new notebook from (cell type, source) pairs, cell type "markdown" or "code".</summary>
    public static Notebook Create(IEnumerable<(string CellType, string Source)> cells) =>
        Create(cells.Select(c => c.CellType switch
        {
            CellTypes.Code => Code(c.Source),
            CellTypes.Markdown => Markdown(c.Source),
            _ => throw new ArgumentException($"cell type '{c.CellType}': expected '{CellTypes.Markdown}' or '{CellTypes.Code}'"),
        }));

    /// <summary>A C# code cell with the Polyglot cell metadata.</summary>
    public static NotebookCell Code(string source) => NotebookCell.Code(source, CodeCellMetadata());

    public static NotebookCell Markdown(string source) => NotebookCell.Markdown(source);

    public static JsonObject NotebookMetadata() => new()
    {
        ["kernelspec"] = new JsonObject
        {
            ["display_name"] = KernelspecDisplayName,
            ["language"] = KernelspecLanguage,
            ["name"] = KernelspecName,
        },
        ["language_info"] = new JsonObject { ["name"] = LanguageInfoName },
        ["polyglot_notebook"] = new JsonObject
        {
            ["kernelInfo"] = new JsonObject
            {
                ["defaultKernelName"] = KernelName,
                ["items"] = new JsonArray(new JsonObject { ["aliases"] = new JsonArray(), ["name"] = KernelName }),
            },
        },
    };

    public static JsonObject CodeCellMetadata() => new()
    {
        ["dotnet_interactive"] = new JsonObject { ["language"] = KernelName },
        ["polyglot_notebook"] = new JsonObject { ["kernelName"] = KernelName },
    };
}
