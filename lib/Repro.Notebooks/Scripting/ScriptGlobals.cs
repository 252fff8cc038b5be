using Microsoft.DotNet.Interactive.Formatting;
using Repro.Notebooks.Formatting;

namespace Repro.Notebooks.Scripting;

/// <summary>
/// Members every cell can use without qualification (the script's globals object), as the Polyglot C# kernel provides
/// them: <c>display(x)</c> and <c>HTML("...")</c>; plus the run's <see cref="Parameters"/>.
/// </summary>
public sealed class ScriptGlobals
{
    internal ScriptGlobals(IReadOnlyDictionary<string, string> parameters, string notebookPath)
    {
        Parameters = parameters;
        NotebookPath = notebookPath;
    }

    /// <summary>The run's parameters (case-insensitive names), also set as REPRO_PARAM_&lt;NAME&gt; environment
    /// variables, which <c>Repro.Reporting.NotebookParameters.Get</c> reads.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; }

    /// <summary>The full path of the notebook being run.</summary>
    public string NotebookPath { get; }

    /// <summary>Shows a value as an output of the current cell.</summary>
    public DisplayedValue display(object? value, params string[] mimeTypes) => DisplayTarget.Show(value, mimeTypes);

    /// <summary>Trusted HTML, displayed as is.</summary>
    public HtmlContent HTML(string html) => new(html);
}
