using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Repro.Notebooks.Formatting;
using Repro.Notebooks.Scripting;
using Repro.Reporting;

namespace Repro.Notebooks;

/// <summary>
/// Runs C# Polyglot notebooks headlessly, in this process, with Roslyn scripting: code cells in order with state
/// carried across them, Polyglot directives (#r nuget and path, #i, #!import, #!time), display(x) and x.Display(),
/// stdout and stderr per cell, the kit's formatters. It stops at the first failed cell (later code cells are marked
/// not executed) and writes the executed notebook, nbformat 4.5 with outputs and execution counts, atomically.
/// <para>One notebook runs at a time per process: Console.Out/Error, the REPRO_PARAM_* environment variables and the
/// working directory are process-wide, so concurrent calls wait their turn.</para>
/// </summary>
public static class NotebookRunner
{
    static readonly SemaphoreSlim Gate = new(1, 1);

    /// <summary>Runs a notebook; see <see cref="RunOptions"/>. Fails (without running) if the executed copy exists and
    /// <see cref="RunOptions.Overwrite"/> is not set, or if the profile is unknown. A failing cell does not throw:
    /// check <see cref="NotebookRunResult.Succeeded"/> or call <see cref="NotebookRunResult.EnsureSuccess"/>.</summary>
    public static async Task<NotebookRunResult> RunAsync(string notebookPath, RunOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new RunOptions();
        var path = Path.GetFullPath(notebookPath);
        if (!File.Exists(path)) throw new FileNotFoundException($"notebook {path} does not exist", path);
        var profile = options.Profile.Trim().ToLowerInvariant();
        if (!NotebookParameters.Profiles.Contains(profile))
            throw new ArgumentException($"profile '{options.Profile}' is unknown; expected one of: {string.Join(", ", NotebookParameters.Profiles)}");
        string? outputPath = null;
        if (options.OutputDirectory is not null)
        {
            outputPath = Path.GetFullPath(Path.Combine(options.OutputDirectory, options.OutputFileName ?? Path.GetFileName(path)));
            if (!options.Overwrite && File.Exists(outputPath)) throw new OutputExistsException(outputPath);
        }
        var notebook = Notebook.Load(path);

        await Gate.WaitAsync(cancellationToken);
        try
        {
            var result = await RunLockedAsync(notebook, path, options, cancellationToken);
            if (outputPath is not null) notebook.Save(outputPath, options.Overwrite);
            return new NotebookRunResult
            {
                NotebookPath = path,
                OutputPath = outputPath,
                Executed = notebook,
                Cells = result.Cells,
                Duration = result.Duration,
            };
        }
        finally
        {
            Gate.Release();
        }
    }

    static async Task<(List<CellRunResult> Cells, TimeSpan Duration)> RunLockedAsync(
        Notebook notebook, string path, RunOptions options, CancellationToken ct)
    {
        var name = Path.GetFileName(path);
        var dir = Path.GetDirectoryName(path)!;
        var parameters = new Dictionary<string, string>(options.Parameters, StringComparer.OrdinalIgnoreCase)
        {
            ["profile"] = options.Profile.Trim().ToLowerInvariant(),
        };
        var format = new FormatContext { MaxRows = options.MaxRows };
        var resolver = new ReferenceResolver(options.Packages ?? HostPackages.Current);
        var session = new ScriptSession(resolver, new ScriptGlobals(parameters, path), dir, options.References, options.Imports);

        var savedEnv = parameters.Keys.Select(NotebookParameters.VariableName).Distinct()
            .ToDictionary(v => v, Environment.GetEnvironmentVariable);
        var savedOut = Console.Out;
        var savedErr = Console.Error;
        var savedCwd = Directory.GetCurrentDirectory();
        var log = options.Log;
        var cells = new List<CellRunResult>();
        var total = Stopwatch.StartNew();
        try
        {
            foreach (var (k, v) in parameters) Environment.SetEnvironmentVariable(NotebookParameters.VariableName(k), v);
            Directory.SetCurrentDirectory(options.WorkingDirectory ?? dir);

            var executionCount = 0;
            var failed = false;
            var codeCells = notebook.Cells.Count(c => c.IsCode);
            var codeIndex = 0;
            for (var i = 0; i < notebook.Cells.Count; i++)
            {
                var cell = notebook.Cells[i];
                var number = i + 1;
                if (!cell.IsCode)
                {
                    cells.Add(new CellRunResult { Number = number, CellType = cell.CellType, Status = CellStatus.Skipped, FirstLine = cell.FirstLine });
                    continue;
                }
                codeIndex++;
                cell.Outputs.Clear();
                cell.ExecutionCount = null;
                if (failed)
                {
                    SetCellMetadata(cell, "not-executed", null);
                    cells.Add(new CellRunResult { Number = number, CellType = cell.CellType, Status = CellStatus.NotExecuted, FirstLine = cell.FirstLine });
                    continue;
                }

                cell.ExecutionCount = ++executionCount;
                var outputs = new CellOutputs(format);
                var sw = Stopwatch.StartNew();
                CellValue value = default;
                ErrorOutput? error = null;
                Console.SetOut(new StreamWriterToCell(outputs, StreamOutput.Stdout));
                Console.SetError(new StreamWriterToCell(outputs, StreamOutput.Stderr));
                DisplayTarget.Current = outputs;
                try
                {
                    var kernel = KernelOf(cell, notebook);
                    if (!CellParser.CSharpKernelNames.Contains(kernel))
                        throw new CellFailureException("UnsupportedKernel",
                            $"cell {number} uses the {kernel} kernel; the headless runner runs C# only",
                            [$"cell {number}: kernel {kernel} (cell metadata or first-line selector) is not supported"]);
                    using var source = CellSource.Enter(cell.Source);
                    value = await session.RunAsync(cell.Source, dir, $"cell {number}", outputs, ct);
                }
                catch (CellFailureException f)
                {
                    error = new ErrorOutput(f.EName, f.EValue, [$"{name}, cell {number}: {f.EName}", .. f.Traceback]);
                }
                finally
                {
                    DisplayTarget.Current = null;
                    Console.Out.Flush();
                    Console.Error.Flush();
                    Console.SetOut(savedOut);
                    Console.SetError(savedErr);
                }
                sw.Stop();

                if (error is null && value.HasValue)
                {
                    FormattedValue f;
                    lock (format) f = Formatter.Format(value.Value, format);
                    outputs.Add(new ExecuteResultOutput(f.Data, f.Metadata, cell.ExecutionCount));
                }
                if (error is not null) outputs.Add(error);
                cell.Outputs.AddRange(outputs.Snapshot());
                var status = error is null ? CellStatus.Succeeded : CellStatus.Failed;
                SetCellMetadata(cell, error is null ? "ok" : "failed", options.RecordDurations ? sw.Elapsed : null);
                cells.Add(new CellRunResult
                {
                    Number = number,
                    CellType = cell.CellType,
                    Status = status,
                    Duration = sw.Elapsed,
                    ExecutionCount = cell.ExecutionCount,
                    FirstLine = cell.FirstLine,
                    Outputs = cell.Outputs.ToList(),
                    HasReturnValue = value.HasValue,
                    ReturnValue = value.Value,
                    Error = error,
                });
                log?.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{name}: cell {number} ({codeIndex}/{codeCells} code) {(error is null ? "ok" : "FAILED")} in {sw.Elapsed.TotalSeconds:0.00} s"));
                if (error is not null)
                {
                    failed = true;
                    log?.WriteLine($"{name}: cell {number} failed (\"{cell.FirstLine}\"): {error.EName}: {error.EValue.Split('\n')[0]}");
                }
            }
        }
        finally
        {
            Console.SetOut(savedOut);
            Console.SetError(savedErr);
            DisplayTarget.Current = null;
            foreach (var (k, v) in savedEnv) Environment.SetEnvironmentVariable(k, v);
            try { Directory.SetCurrentDirectory(savedCwd); }
            catch (IOException) { /* the folder went away during the run */ }
        }
        total.Stop();

        notebook.NbFormat = 4;
        notebook.NbFormatMinor = Math.Max(5, notebook.NbFormatMinor);
        notebook.EnsureCellIds();
        var failedCell = cells.FirstOrDefault(c => c.Status == CellStatus.Failed);
        notebook.Metadata["repro"] = new JsonObject
        {
            ["executed_by"] = "Repro.Notebooks",
            ["parameters"] = new JsonObject(parameters.OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => KeyValuePair.Create(p.Key, (JsonNode?)JsonValue.Create(p.Value)))),
            ["succeeded"] = failedCell is null,
            ["failed_cell"] = failedCell?.Number,
        };
        if (options.RelativeTo is { } root) RelativePaths.Apply(notebook, root);
        return (cells, total.Elapsed);
    }

    static void SetCellMetadata(NotebookCell cell, string status, TimeSpan? duration)
    {
        var o = new JsonObject { ["status"] = status };
        if (duration is { } d) o["duration_ms"] = Math.Round(d.TotalMilliseconds, 1);
        cell.Metadata["repro"] = o;
    }

    /// <summary>
    /// The kernel a code cell runs in: a first-line selector (#!csharp, #!fsharp...) wins, then the cell metadata
    /// (polyglot_notebook.kernelName, dotnet_interactive.language), then the notebook's default kernel, then C#.
    /// </summary>
    internal static string KernelOf(NotebookCell cell, Notebook notebook)
    {
        var first = cell.Source.Replace("\r\n", "\n").Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "";
        if (first.StartsWith("#!", StringComparison.Ordinal))
        {
            var selector = first[2..].Split(' ', 2)[0];
            if (CellParser.CSharpKernelNames.Contains(selector) || CellParser.OtherKernelNames.Contains(selector)) return selector;
        }
        return cell.KernelName
               ?? NotebookJson.GetPath(notebook.Metadata, "polyglot_notebook", "kernelInfo", "defaultKernelName")
               ?? PolyglotNotebook.KernelName;
    }
}
