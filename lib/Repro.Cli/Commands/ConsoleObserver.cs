using Repro.Training;
using Spectre.Console;

namespace Repro.Cli.Commands;

/// <summary>Progress bars for training and data generation, drawn with Spectre.Console.</summary>
sealed class ConsoleObserver : ITrainingObserver, IProgress<(int Done, int Total)>
{
    readonly ProgressContext _ctx;
    ProgressTask? _epochTask;
    ProgressTask? _dataTask;

    public ConsoleObserver(ProgressContext ctx) => _ctx = ctx;

    public void EpochStarted(int epoch, int epochs, int batches)
    {
        _epochTask?.StopTask();
        _epochTask = _ctx.AddTask($"epoch {epoch + 1}/{epochs}", maxValue: batches);
    }

    public void BatchDone(int epoch, int batch, int batches, IReadOnlyDictionary<string, double> losses)
    {
        if (_epochTask is null) return;
        _epochTask.Value = batch + 1;
        if (losses.TryGetValue("loss", out var l)) _epochTask.Description = $"epoch {epoch + 1} loss {l:F3}";
    }

    public void EpochDone(EpochRecord r)
    {
        _epochTask?.StopTask();
        // single-label runs report accuracy, multi-label runs (MM-IMDb) macro F1
        static string Main(Dictionary<string, double> m) => m.TryGetValue("acc", out var a) ? $"{a:F1}" : $"F1-macro {m.GetValueOrDefault("f1_macro"):F1}";
        var val = r.Validation is null ? "" : $" val {Main(r.Validation)}";
        var test = r.Test is null ? "" : $" test {Main(r.Test)}" + string.Join("", r.Test.Where(kv => kv.Key.StartsWith("acc_")).Select(kv => $" {kv.Key[4..]} {kv.Value:F1}"));
        AnsiConsole.MarkupLineInterpolated($"[grey]epoch {r.Epoch + 1}: loss {r.TrainLosses.GetValueOrDefault("loss"):F3}{val}{test} ({r.Seconds:F1}s)[/]");
    }

    public void Message(string text) => AnsiConsole.MarkupLineInterpolated($"[blue]{text}[/]");

    public void Report((int Done, int Total) value)
    {
        if (_dataTask is null || _dataTask.IsFinished) _dataTask = _ctx.AddTask("preparing data", maxValue: value.Total);
        _dataTask.Value = value.Done;
        if (value.Done >= value.Total) _dataTask.StopTask();
    }

    /// <summary>Runs <paramref name="body"/> with progress bars.</summary>
    public static T Run<T>(Func<ConsoleObserver, T> body)
    {
        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx => result = body(new ConsoleObserver(ctx)));
        return result;
    }
}
