using System.CommandLine;

namespace Repro.Cli.Commands;

/// <summary>
/// Ends every command's failure with one clear message on stderr and exit code 1: the kit's expected failures (bad
/// input, missing files, refused overwrites) as they are, the failures of parallel loops unwrapped and listed, anything
/// else named as a bug. <c>--verbose</c> (or REPRO_DEBUG=1) adds the stack trace.
/// </summary>
static class CliErrors
{
    public static readonly Option<bool> Verbose = new("--verbose") { Description = "On failure, print the stack trace too", Recursive = true };

    public static int Guard(ParseResult parse, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e)
        {
            Console.Error.WriteLine(Message(e));
            if (parse.GetValue(Verbose) || Environment.GetEnvironmentVariable("REPRO_DEBUG") == "1") Console.Error.WriteLine(e);
            return 1;
        }
    }

    /// <summary>"error: ..." for an exception: its message and its causes', every distinct failure of an aggregate.</summary>
    public static string Message(Exception e)
    {
        var failures = e is AggregateException a ? a.Flatten().InnerExceptions.DistinctBy(x => x.Message).ToArray() : [e];
        var lines = new List<string>();
        foreach (var f in failures.Take(Data.BadInputs.Listed))
        {
            lines.Add($"error: {f.Message}{(Expected(f) ? "" : $" ({f.GetType().Name}: a bug in the kit; --verbose shows where)")}");
            for (var inner = f.InnerException; inner is not null; inner = inner.InnerException)
                lines.Add($"  because: {inner.Message}");
        }
        if (failures.Length > Data.BadInputs.Listed) lines.Add($"and {failures.Length - Data.BadInputs.Listed} more failures");
        return string.Join(Environment.NewLine, lines);
    }

    static bool Expected(Exception e) => e is IOException or InvalidDataException or ArgumentException or InvalidOperationException
        or UnauthorizedAccessException or NotSupportedException or FormatException or OperationCanceledException;
}
