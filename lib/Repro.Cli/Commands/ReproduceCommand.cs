using System.CommandLine;
using Repro.Experiments;
using Repro.Experiments.Tables;
using Repro.Reporting;

namespace Repro.Cli.Commands;

/// <summary>
/// `repro reproduce &lt;experiment&gt;`: fills a paper table on a dataset and prints it beside the paper's numbers. The
/// runs train in this process, as local processes (--jobs) or as a Slurm array (<see cref="ExecutorOptions"/>).
/// </summary>
static class ReproduceCommand
{
    public static Command Create()
    {
        var table = new TableOptions();
        var common = table.Common;
        var threads = CommonOptions.Threads("Compute threads per run (default: every core in this process; with --jobs N, the cores / N per job; slurm: --cpus-per-task)");
        var executor = new ExecutorOptions();
        var cmd = new Command("reproduce", "Reproduce a paper table on a dataset (the embedded stand-in unless --data is given)") { threads };
        table.AddTo(cmd, trains: true);
        executor.AddTo(cmd);
        cmd.SetAction(p => CliErrors.Guard(p, () =>
        {
            var t = table.Resolve(p);
            var watch = System.Diagnostics.Stopwatch.StartNew();
            executor.Check(p);
            if (p.GetValue(executor.Executor) == "slurm" && p.GetResult(threads) is { Implicit: false })
                throw new ArgumentException("--threads applies to local runs; a Slurm task computes with its --cpus-per-task.");
            var device = common.DeviceName(p);
            var inProcess = executor.InProcess(p);
            if (!inProcess)
            {
                var plan = TableRunner.Plan(t.Spec, t.Dataset, t.DataRoot, t.Profile, t.Seeds, t.Selection, t.Columns).Runs;
                var identify = new ExperimentRunner(t.Store);   // under missing-files=drop a run's identity holds the present samples' digest
                if (executor.Execute(p, t.Store, plan.Select(r => identify.Identify(r.Spec)).ToList(), t.Name, p.GetValue(common.Force),
                        p.GetValue(common.Resume), device, p.GetValue(threads)) is { } stop)
                    return stop;
            }
            using var computeThreads = CommonOptions.UseThreads(inProcess ? p.GetValue(threads) : null);
            // after an executor every run is finished: the table is read from the store
            var result = ConsoleObserver.Run(obs => TableRunner.Run(common.Runner(p, obs, force: inProcess && p.GetValue(common.Force)),
                t.Spec, t.Dataset, t.DataRoot, t.Profile, t.Seeds, t.Selection, t.Columns));
            Console.WriteLine();
            Console.Write(TableReport.ToText(result));
            var outDir = Path.Combine(t.Store.Root, t.Spec.Id, t.Variant);
            AtomicFile.WriteAllText(Path.Combine(outDir, "table.csv"), TableReport.ToCsv(result));
            AtomicFile.WriteAllText(Path.Combine(outDir, "table.json"), TableReport.ToJson(result));
            AtomicFile.WriteAllText(Path.Combine(outDir, "table.html"), TableReport.ToHtml(result));
            var points = TableReport.ToPointsCsv(result);
            if (points is not null) AtomicFile.WriteAllText(Path.Combine(outDir, "points.csv"), points);
            Console.WriteLine($"Wrote {outDir}/table.{{csv,json,html}}{(points is null ? "" : " and points.csv")} (derived from the runs under {Path.Combine(t.Store.Root, "runs")}).");
            Console.WriteLine($"Wall time: {watch.Elapsed.TotalSeconds:F0} s");
            return 0;
        }));
        return cmd;
    }
}
