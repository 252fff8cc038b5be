using System.Collections.Concurrent;
using System.Diagnostics;

namespace Repro.Experiments.Executors;

/// <summary>
/// <c>--executor local --jobs N</c>: a submission's runs on this machine, N at a time, each its own <c>repro train</c>
/// process with its share of the cores (<see cref="Environment.ProcessorCount"/> / N threads, at least one, unless
/// <see cref="Threads"/> says), its output
/// in <c>logs/i.log</c>. Tasks start in plan order; a failed task does not stop the others.
/// </summary>
public sealed class LocalExecutor
{
    public required TrainTask Task { get; init; }
    public required int Jobs { get; init; }

    /// <summary>Compute threads per job when given (--threads), else the job's share of the cores.</summary>
    public int? Threads { get; init; }

    public int ThreadsPerJob => Threads ?? Math.Max(1, Environment.ProcessorCount / Jobs);

    public string LogFile(Submission s, int task) => Path.Combine(s.LogFolder, $"{task}.log");

    /// <summary>The command line of task i, as a shell would run it (for --dry-run and the record).</summary>
    public string CommandLine(Submission s, ResultsStore store, int task) =>
        string.Join(" ", TrainTask.ThreadVariables.Select(v => $"{v}={ThreadsPerJob}").Append(Shell.Quote(Task.Program))
            .Concat(Task.Arguments(s.SpecFile(task), store.Root, ThreadsPerJob.ToString()).Select(Shell.Quote)));

    /// <summary>Runs every task; returns the indices of those that failed (non-zero exit), in order.</summary>
    public IReadOnlyList<int> Run(Submission s, ResultsStore store, Action<string> say)
    {
        s.Save(store, $"local --jobs {Jobs}", null, CommandLine(s, store, 0), i => LogFile(s, i));
        var failed = new ConcurrentBag<int>();
        int done = 0, total = s.Runs.Count;
        var order = System.Collections.Concurrent.Partitioner.Create(Enumerable.Range(0, total), EnumerablePartitionerOptions.NoBuffering);
        Parallel.ForEach(order, new ParallelOptions { MaxDegreeOfParallelism = Jobs }, i =>
        {
            var watch = Stopwatch.StartNew();
            say($"started  {Describe(s, i)} (log {LogFile(s, i)})");
            int code = RunOne(s, store, i);
            int n = Interlocked.Increment(ref done);
            if (code != 0) failed.Add(i);
            say($"[{n}/{total}] {(code == 0 ? "finished" : $"FAILED (exit {code})")} {Describe(s, i)} in {watch.Elapsed.TotalSeconds:F0} s" +
                (code == 0 ? "" : $"; log {LogFile(s, i)}"));
        });
        return failed.Order().ToList();
    }

    static string Describe(Submission s, int i) => $"{s.Runs[i].Method.Describe()} seed {s.Runs[i].Seed} on {s.Runs[i].Dataset}";

    int RunOne(Submission s, ResultsStore store, int task)
    {
        var psi = new ProcessStartInfo(Task.Program)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        foreach (var a in Task.Arguments(s.SpecFile(task), store.Root, ThreadsPerJob.ToString())) psi.ArgumentList.Add(a);
        foreach (var v in TrainTask.ThreadVariables) psi.Environment[v] = ThreadsPerJob.ToString();
        psi.Environment[TrainTask.LogVariable] = LogFile(s, task);
        using var log = new StreamWriter(LogFile(s, task)) { AutoFlush = true };
        using var p = new Process { StartInfo = psi };
        var gate = new object();
        void Write(string? line) { if (line is not null) lock (gate) log.WriteLine(line); }
        p.OutputDataReceived += (_, e) => Write(e.Data);
        p.ErrorDataReceived += (_, e) => Write(e.Data);
        if (!p.Start()) throw new InvalidOperationException($"could not start {Task.Program}");
        p.StandardInput.Close();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        p.WaitForExit();
        return p.ExitCode;
    }
}
