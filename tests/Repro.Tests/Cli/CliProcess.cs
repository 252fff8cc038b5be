using System.Diagnostics;
using System.Text;

namespace Repro.Tests.Cli;

/// <summary>`repro` as its own process (the dotnet host running the CLI's dll), for tests where processes race.</summary>
internal sealed class CliProcess : IDisposable
{
    readonly Process _process;
    readonly StringBuilder _output = new();

    public CliProcess(IEnumerable<string> args, IDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo(DotnetHost) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(typeof(Repro.Cli.CliApp).Assembly.Location);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["NO_COLOR"] = "1";
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        _process = new Process { StartInfo = psi };
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>Waits for the process to end (killing it after <paramref name="limit"/>) and returns its exit code.</summary>
    public int Wait(TimeSpan limit)
    {
        if (!_process.WaitForExit(limit))
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"repro {string.Join(" ", _process.StartInfo.ArgumentList.Skip(1))} ran over {limit}:\n{Output}");
        }
        _process.WaitForExit();   // the output's last lines
        return _process.ExitCode;
    }

    /// <summary>
    /// Waits until the output contains <paramref name="text"/> (whitespace and line breaks alike: the console observer
    /// wraps long messages); false when the process ended or the time ran out first.
    /// </summary>
    public bool WaitFor(string text, TimeSpan limit)
    {
        var until = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < until)
        {
            if (Flat(Output).Contains(Flat(text))) return true;
            if (_process.HasExited) return Flat(Output).Contains(Flat(text));
            Thread.Sleep(100);
        }
        return false;
    }

    static string Flat(string s) => System.Text.RegularExpressions.Regex.Replace(s, @"\s+", " ");

    void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }

    /// <summary>The dotnet host: this process when it is one, else DOTNET_HOST_PATH (set by `dotnet test`), else dotnet on PATH.</summary>
    public static string DotnetHost =>
        Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p
        : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h ? h
        : "dotnet";
}
