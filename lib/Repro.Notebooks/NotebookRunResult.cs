namespace Repro.Notebooks;

/// <summary>What happened to a cell in a run.</summary>
public enum CellStatus
{
    /// <summary>Markdown or raw: nothing to run.</summary>
    Skipped,
    Succeeded,
    Failed,
    /// <summary>A code cell after the failed one.</summary>
    NotExecuted,
}

/// <summary>One cell of a run.</summary>
public sealed class CellRunResult
{
    /// <summary>1-based, counting all cells (markdown included), as an editor shows them.</summary>
    public required int Number { get; init; }
    public required string CellType { get; init; }
    public required CellStatus Status { get; init; }
    public TimeSpan Duration { get; init; }
    public int? ExecutionCount { get; init; }
    /// <summary>The first non-blank line of the cell's source.</summary>
    public required string FirstLine { get; init; }
    public IReadOnlyList<NotebookOutput> Outputs { get; init; } = [];
    /// <summary>Whether the cell ended with an expression (its value, possibly null, is <see cref="ReturnValue"/>).</summary>
    public bool HasReturnValue { get; init; }
    /// <summary>The value of the cell's last expression, in this process (not serialised).</summary>
    public object? ReturnValue { get; init; }
    public ErrorOutput? Error { get; init; }
}

/// <summary>The result of <see cref="NotebookRunner.RunAsync"/>.</summary>
public sealed class NotebookRunResult
{
    public required string NotebookPath { get; init; }
    /// <summary>Where the executed copy was written, or null when <see cref="RunOptions.OutputDirectory"/> was null.</summary>
    public string? OutputPath { get; init; }
    public required Notebook Executed { get; init; }
    public required IReadOnlyList<CellRunResult> Cells { get; init; }
    public TimeSpan Duration { get; init; }
    public bool Succeeded => FailedCell is null;
    public CellRunResult? FailedCell => Cells.FirstOrDefault(c => c.Status == CellStatus.Failed);

    /// <summary>
    /// Null on success; else one line naming the notebook, the cell (1-based, counting all cells), its first line and
    /// the error, e.g. <c>lesson.ipynb: cell 3 failed ("var x = y;"): CompilationError: (1,9): error CS0103: ...</c>.
    /// </summary>
    public string? FailureMessage
    {
        get
        {
            if (FailedCell is not { } c) return null;
            var first = c.FirstLine.Length > 80 ? c.FirstLine[..77] + "..." : c.FirstLine;
            var error = c.Error is { } e ? $"{e.EName}: {e.EValue.Split('\n')[0]}" : "failed";
            return $"{Path.GetFileName(NotebookPath)}: cell {c.Number} failed (\"{first}\"): {error}";
        }
    }

    /// <summary>Throws <see cref="NotebookFailedException"/> when a cell failed.</summary>
    public NotebookRunResult EnsureSuccess() => Succeeded ? this : throw new NotebookFailedException(this);
}

/// <summary>A notebook run that stopped at a failed cell; the message is <see cref="NotebookRunResult.FailureMessage"/>.</summary>
public sealed class NotebookFailedException(NotebookRunResult result) : Exception(result.FailureMessage)
{
    public NotebookRunResult Result { get; } = result;
}
