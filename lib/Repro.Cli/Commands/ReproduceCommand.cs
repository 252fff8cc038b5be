using System.CommandLine;
using Repro.Experiments;
using Repro.Experiments.Tables;
using Repro.Reporting;

namespace Repro.Cli.Commands;

/// <summary>`repro reproduce &lt;experiment&gt;`: fills a paper table on a dataset and prints it beside the paper's numbers.</summary>
static class ReproduceCommand
{
    public static Command Create()
    {
        var experiment = new Argument<string>("experiment") { Description = $"Paper table id ({string.Join(", ", PaperTables.Ids)})" };
        var common = new TrainingOptions();
        var seeds = new Option<int?>("--seeds") { Description = "Seeds per cell (default: the profile's; paper: 3)" };
        var columns = new Option<string[]>("--columns") { Description = "Only these columns (labels, comma-separated)", AllowMultipleArgumentsPerToken = true };
        var cmd = new Command("reproduce", "Reproduce a paper table on a dataset (the embedded stand-in unless --data is given)") { experiment, seeds, columns };
        common.AddTo(cmd);
        cmd.SetAction(p => CliErrors.Guard(p, () =>
        {
            var spec = PaperTables.Get(p.GetValue(experiment)!);
            var prof = common.ProfileOf(p);
            var store = common.Store(p);
            var ds = common.DatasetId(p);
            // a table of one dataset (mla-table2: iemocap) runs on it unless --dataset says otherwise
            if (p.GetResult(common.Dataset) is null or { Implicit: true } && !spec.Datasets.Contains(ds) && spec.Datasets.Count() == 1) ds = spec.Datasets.Single();
            var only = p.GetValue(columns)?.SelectMany(c => c.Split(',')).Select(c => c.Trim()).Where(c => c.Length > 0).ToArray();
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var table = ConsoleObserver.Run(obs =>
            {
                return TableRunner.Run(common.Runner(p, obs), spec, ds, p.GetValue(common.Data), prof, p.GetValue(seeds),
                    common.SelectionOf(p), only is { Length: > 0 } ? only : null);
            });
            Console.WriteLine();
            Console.Write(TableReport.ToText(table));
            var outDir = Path.Combine(store.Root, spec.Id, $"{ds}{(p.GetValue(common.Data) is null ? "" : "-data")}-{prof.Name}-{p.GetValue(common.Selection)}");
            AtomicFile.WriteAllText(Path.Combine(outDir, "table.csv"), TableReport.ToCsv(table));
            AtomicFile.WriteAllText(Path.Combine(outDir, "table.json"), TableReport.ToJson(table));
            AtomicFile.WriteAllText(Path.Combine(outDir, "table.html"), TableReport.ToHtml(table));
            Console.WriteLine($"Wrote {outDir}/table.{{csv,json,html}} (derived from the runs under {Path.Combine(store.Root, "runs")}).");
            Console.WriteLine($"Wall time: {watch.Elapsed.TotalSeconds:F0} s");
            return 0;
        }));
        return cmd;
    }
}
