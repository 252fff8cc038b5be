using System.CommandLine;
using Repro.Experiments;
using Repro.Experiments.Executors;
using Repro.Experiments.Tables;

namespace Repro.Cli.Commands;

/// <summary>
/// `repro status &lt;experiment&gt;`: where each run of a table stands in the results store (finished, running, failed,
/// pending), with the log of each failed or running one, and the table's latest submission (its Slurm job's tasks
/// still queued). Takes the table options of `repro reproduce`; trains nothing.
/// </summary>
static class StatusCommand
{
    public static Command Create()
    {
        var table = new TableOptions();
        var cmd = new Command("status", "Where the runs of a paper table stand in the results store: finished, running, failed (with logs), pending");
        table.AddTo(cmd, trains: false);
        cmd.SetAction(p => CliErrors.Guard(p, () =>
        {
            var t = table.Resolve(p);
            var (plan, _, skipped) = TableRunner.Plan(t.Spec, t.Dataset, t.DataRoot, t.Profile, t.Seeds, t.Selection, t.Columns);
            var identify = new ExperimentRunner(t.Store);   // under missing-files=drop a run's identity holds the present samples' digest
            var statuses = plan.Select(r => (r.Column.Label, Spec: identify.Identify(r.Spec))).DistinctBy(r => r.Spec.Key)
                .Select(r => (r.Label, Status: RunStatus.Of(t.Store, r.Spec))).ToList();
            var counts = string.Join(", ", Enum.GetValues<RunState>().Select(s => $"{statuses.Count(x => x.Status.State == s)} {s.ToString().ToLowerInvariant()}"));
            Console.WriteLine($"{t.Spec.Id} on {t.Dataset} ({t.Profile.Name} profile, {p.GetValue(table.Common.Selection)}), {t.Store.Root}: {statuses.Count} runs: {counts}");
            foreach (var (label, status) in statuses)
            {
                Console.WriteLine($"  {label,-14} {Line(status)}");
                if (status.Log is not null && status.State is RunState.Failed or RunState.Running) Console.WriteLine($"  {"",-14}   log {status.Log}");
            }
            foreach (var (column, why) in skipped) Console.WriteLine($"  {column,-14} not in this build: {why}");
            if (Submission.Latest(t.Store, t.Name) is { } latest)
            {
                var queue = latest.Record.JobId is { } job ? QueueOrNote(job) : null;
                Console.WriteLine($"Latest submission: {latest.Record.Executor}{(latest.Record.JobId is { } j ? $" job {j}" : "")}, {latest.Record.Created}, " +
                                  $"{latest.Record.Tasks.Count} tasks ({latest.Folder}){(queue is null ? "" : $"; {queue}")}");
            }
            return 0;
        }));
        return cmd;
    }

    /// <summary>"finished  KEY", "failed    KEY: reason".</summary>
    public static string Line(RunStatus s) =>
        $"{s.State.ToString().ToLowerInvariant(),-9} {s.Spec.Key}{(s.Detail.Length == 0 ? "" : $": {s.Detail}")}";

    static string? QueueOrNote(string job)
    {
        try { return SlurmExecutor.Queue(job) is { } q ? $"still queued: {q}" : "no task left in the queue"; }
        catch (InvalidOperationException e) { return $"squeue unavailable ({e.Message})"; }
    }
}
