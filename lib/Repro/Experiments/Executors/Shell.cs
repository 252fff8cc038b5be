using System.Diagnostics;

namespace Repro.Experiments.Executors;

/// <summary>Quoting for generated scripts, and running a command for its output (sbatch, squeue, scontrol).</summary>
public static class Shell
{
    /// <summary>A word for bash: as is when it is plain, else in single quotes.</summary>
    public static string Quote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '-' or '_' or '=' or ':' or ',' or '+' or '@' or '%')
            ? word : "'" + word.Replace("'", "'\\''") + "'";

    /// <summary>Runs a program to its end; a program that is not installed is an error naming it and <paramref name="missing"/>.</summary>
    public static (int Code, string Out, string Err) Run(string program, IEnumerable<string> args, string missing)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        Process p;
        try { p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {program}"); }
        catch (System.ComponentModel.Win32Exception e) { throw new InvalidOperationException($"{program}: not found on PATH; {missing}", e); }
        using (p)
        {
            var err = p.StandardError.ReadToEndAsync();
            var output = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            return (p.ExitCode, output, err.Result);
        }
    }
}
