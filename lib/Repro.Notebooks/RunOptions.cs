using System.Reflection;
using Repro.Notebooks.Scripting;
using Repro.Reporting;

namespace Repro.Notebooks;

/// <summary>How <see cref="NotebookRunner.RunAsync"/> runs a notebook and where it writes the executed copy.</summary>
public sealed class RunOptions
{
    /// <summary>
    /// Folder for the executed copy (created if missing), written as <see cref="OutputFileName"/> or the notebook's own
    /// file name. Null: nothing is written (the caller keeps <see cref="NotebookRunResult.Executed"/>). The kit's
    /// convention is <c>results/notebooks/</c>.
    /// </summary>
    public string? OutputDirectory { get; set; }

    /// <summary>File name of the executed copy; null for the notebook's own.</summary>
    public string? OutputFileName { get; set; }

    /// <summary>Replace an existing executed copy. Without it the run refuses before running any cell.</summary>
    public bool Overwrite { get; set; }

    /// <summary>
    /// Parameters (case-insensitive names), visible to the notebook without editing it: as environment variables
    /// REPRO_PARAM_&lt;NAME&gt; for the duration of the run (read them with
    /// <c>Repro.Reporting.NotebookParameters.Get(name, default)</c>) and as <c>Parameters</c> on the script globals.
    /// </summary>
    public IDictionary<string, string> Parameters { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The "profile" parameter: smoke, embedded (default) or paper.</summary>
    public string Profile
    {
        get => Parameters.TryGetValue("profile", out var p) ? p : NotebookParameters.DefaultProfile;
        set => Parameters["profile"] = value;
    }

    /// <summary>Record each code cell's duration in its metadata (<c>repro.duration_ms</c>). Off for copies that are
    /// committed, so that re-running unchanged code changes nothing but what the code computes.</summary>
    public bool RecordDurations { get; set; } = true;

    /// <summary>A folder (e.g. the repository) under which absolute paths in the outputs and in the recorded parameters
    /// are written relative to it, so the executed copy does not depend on where the checkout lives; null: as printed.</summary>
    public string? RelativeTo { get; set; }

    /// <summary>Rows shown by the table formatters (60, as pandas shows: a paper table's long-format DataFrame fits).</summary>
    public int MaxRows { get; set; } = 60;

    /// <summary>The working directory during the run; null for the notebook's folder (what the Polyglot kernel in VS
    /// Code uses, so relative paths in cells mean the same in both).</summary>
    public string? WorkingDirectory { get; set; }

    /// <summary>Assemblies every cell can use without a #r (none by default: notebooks say what they use, as they
    /// must in VS Code).</summary>
    public IList<Assembly> References { get; } = [];

    /// <summary>Namespaces imported in every cell, besides the Polyglot defaults (System, System.Text,
    /// System.Collections, System.Collections.Generic, System.Threading.Tasks, System.Linq and
    /// Microsoft.DotNet.Interactive.Formatting).</summary>
    public IList<string> Imports { get; } = [];

    /// <summary>The packages #r "nuget: ..." resolves against; null for the host process's own (its .deps.json).</summary>
    public HostPackages? Packages { get; set; }

    /// <summary>Progress lines (one per cell), e.g. Console.Error of the CLI; null for none.</summary>
    public TextWriter? Log { get; set; }
}
