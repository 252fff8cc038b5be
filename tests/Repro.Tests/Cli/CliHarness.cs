using Repro.Cli;

namespace Repro.Tests.Cli;

/// <summary>Runs a `repro` command in-process as a user types it, capturing what it prints.</summary>
internal static class CliHarness
{
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var (o, e) = (Console.Out, Console.Error);
        var (so, se) = (new StringWriter(), new StringWriter());
        Console.SetOut(so);
        Console.SetError(se);
        try { return (CliApp.Run(args), so.ToString(), se.ToString()); }
        finally { Console.SetOut(o); Console.SetError(e); }
    }

    /// <summary>True when the text holds a .NET stack trace ("   at Namespace.Type.Method(...)").</summary>
    public static bool HasStackTrace(string text) => text.Split('\n').Any(l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal) && l.Contains('('));
}
