using System.Text;
using System.Text.RegularExpressions;

namespace Repro.Experiments.Executors;

/// <summary>
/// <c>--executor slurm</c>: one <c>sbatch --array</c> job for a submission, task i running <c>repro train --spec
/// specs/i.json</c> into the shared results store with <c>--cpus-per-task</c> threads, its output in
/// <c>logs/&lt;job&gt;_i.log</c>. The script is kept as the submission's <c>submit.sh</c>. Waiting polls <c>squeue</c>
/// (no accounting needed); what became of each run is read from the store afterwards.
/// </summary>
public sealed partial class SlurmExecutor
{
    const string Missing = "--executor slurm needs Slurm's client commands (sbatch, squeue, scontrol; Debian: apt-get install slurm-client) and a reachable controller.";

    public required TrainTask Task { get; init; }
    public required SlurmOptions Options { get; init; }
    public TimeSpan Poll { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The sbatch script for a submission; <paramref name="origin"/> is the command that wrote it.</summary>
    public string Script(Submission s, ResultsStore store, string jobName, string origin)
    {
        if (s.Runs.Count == 0) throw new ArgumentException("A Slurm array needs at least one run.");
        var sb = new StringBuilder("#!/bin/bash\n");
        var array = $"0-{s.Runs.Count - 1}{(Options.MaxRunning is { } m ? $"%{m}" : "")}";
        foreach (var d in new[] { $"--job-name={jobName}", $"--array={array}", $"--output={Path.Combine(s.LogFolder, "%A_%a.log")}" }.Concat(Options.Directives()))
            sb.Append("#SBATCH ").Append(d.Contains(' ') ? $"\"{d}\"" : d).Append('\n');
        const string spec = "\u0001spec", threads = "\u0001threads";   // placeholders for the two shell expressions
        var command = string.Join(" ", new[] { Task.Program }.Concat(Task.Arguments(spec, store.Root, threads)).Select(a => a switch
        {
            spec => Shell.Quote(Path.Combine(s.Folder, "specs") + "/") + "\"${SLURM_ARRAY_TASK_ID}.json\"",
            threads => "\"$threads\"",
            _ => Shell.Quote(a),
        }));
        sb.Append($$"""
            # Written by `{{origin}}`.
            # One task per run not yet finished in {{store.Root}}: task i trains the run of specs/i.json in this folder
            # into that results store. A run that another task is training is waited for and reused, and a finished one
            # is skipped, so submitting again is safe; `repro status` shows where the runs stand.
            set -euo pipefail
            threads="${SLURM_CPUS_PER_TASK:-1}"
            export {{string.Join(" ", TrainTask.ThreadVariables.Select(v => $"{v}=\"$threads\""))}}
            export {{TrainTask.LogVariable}}={{Shell.Quote(s.LogFolder + "/")}}"${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}.log"
            exec {{command}}

            """);
        return sb.ToString();
    }

    /// <summary>Writes the script as the submission's submit.sh.</summary>
    public string Write(Submission s, ResultsStore store, string jobName, string origin)
    {
        var text = Script(s, store, jobName, origin);
        AtomicFile.WriteAllText(s.ScriptPath, text);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(s.ScriptPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                                               UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        return text;
    }

    /// <summary>Submits the written script; returns the job id and records it in submission.json.</summary>
    public string Submit(Submission s, ResultsStore store)
    {
        var (code, output, err) = Shell.Run("sbatch", ["--parsable", s.ScriptPath], Missing);
        if (code != 0) throw new InvalidOperationException($"sbatch {s.ScriptPath} failed (exit {code}): {err.Trim()}{output.Trim()}");
        var job = output.Trim().Split(';')[0];
        if (!JobId().IsMatch(job)) throw new InvalidOperationException($"sbatch --parsable printed '{output.Trim()}'; expected a job id.");
        s.Save(store, "slurm", job, $"sbatch {s.ScriptPath}", i => LogFile(s, job, i));
        return job;
    }

    public static string LogFile(Submission s, string job, int task) => Path.Combine(s.LogFolder, $"{job}_{task}.log");

    /// <summary>Blocks until no task of the job is pending or running, saying so whenever the counts change.</summary>
    public void Wait(string job, Action<string> say, CancellationToken cancel = default)
    {
        string? last = null;
        int failures = 0;
        while (true)
        {
            string? now = last;
            try
            {
                now = Queue(job);
                failures = 0;
                if (now is null) return;
                if (now != last) say($"Slurm job {job}: {now}");
            }
            catch (InvalidOperationException) when (++failures < 12) { }   // the controller may be busy for a while
            last = now;
            cancel.WaitHandle.WaitOne(Poll);
            cancel.ThrowIfCancellationRequested();
        }
    }

    /// <summary>The job's tasks still in the queue by state ("1 pending, 2 running"), or null when none is left.</summary>
    public static string? Queue(string job)
    {
        var (code, output, err) = Shell.Run("squeue", ["-h", "-r", "-j", job, "-o", "%T"], Missing);
        if (code != 0 && err.Contains("Invalid job id", StringComparison.OrdinalIgnoreCase)) return null;   // purged after it ended
        if (code != 0) throw new InvalidOperationException($"squeue -j {job} failed (exit {code}): {err.Trim()}");
        var states = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return states.Length == 0 ? null
            : string.Join(", ", states.GroupBy(x => x.ToLowerInvariant()).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key}"));
    }

    /// <summary>Slurm's word on one task (state, reason, exit code) while the controller remembers it, else null.</summary>
    public static string? TaskState(string job, int task)
    {
        try
        {
            var (code, output, _) = Shell.Run("scontrol", ["show", "job", $"{job}_{task}"], Missing);
            if (code != 0) return null;
            string? Field(string name) => Regex.Match(output, $@"\b{name}=(\S+)") is { Success: true } m ? m.Groups[1].Value : null;
            return $"{Field("JobState")}, exit {Field("ExitCode")}{(Field("Reason") is { } r and not "None" ? $", {r}" : "")}";
        }
        catch (InvalidOperationException) { return null; }
    }

    [GeneratedRegex(@"^\d+$")]
    private static partial Regex JobId();
}
