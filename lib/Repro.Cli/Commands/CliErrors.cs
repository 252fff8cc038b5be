namespace Repro.Cli.Commands;

/// <summary>
/// Turns the kit's expected failures (bad input, missing files, refused overwrites) into one clear line on stderr
/// and exit code 1; REPRO_DEBUG=1 adds the stack trace. Anything else is a bug and keeps its full trace.
/// </summary>
static class CliErrors
{
    public static int Guard(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or InvalidOperationException or UnauthorizedAccessException or NotSupportedException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
                Console.Error.WriteLine($"  because: {inner.Message}");
            if (Environment.GetEnvironmentVariable("REPRO_DEBUG") == "1") Console.Error.WriteLine(e);
            return 1;
        }
    }
}
