using System.CommandLine;
using Repro.Notebooks;

namespace Repro.Cli.Commands;

/// <summary>`repro report`: one static HTML page from the executed notebooks' charts and tables.</summary>
static class ReportCommand
{
    public static Command Create()
    {
        var results = CommonOptions.Results();
        var force = CommonOptions.Force();
        var output = new Option<string?>("--out") { Description = "The page to write (default: <results>/report.html)" };
        var cmd = new Command("report", "Gather the executed notebooks (results/notebooks) into one offline HTML page") { results, force, output };
        cmd.SetAction(p => CliErrors.Guard(p, () =>
        {
            var store = CommonOptions.Store(p.GetValue(results));
            var dir = Path.Combine(store.Root, "notebooks");
            var notebooks = Directory.Exists(dir) ? Directory.GetFiles(dir, "*.ipynb").Order(StringComparer.Ordinal).ToArray() : [];
            if (notebooks.Length == 0)
                throw new FileNotFoundException($"{dir}: no executed notebooks; run `repro notebooks run notebooks/*.ipynb` first.");
            var page = Path.GetFullPath(p.GetValue(output) ?? Path.Combine(store.Root, "report.html"));
            if (File.Exists(page) && !p.GetValue(force)) throw new IOException($"{page} exists; add --force to replace it.");
            AtomicFile.WriteAllText(page, NotebookReport.Build(notebooks, "Repro: executed lessons"));
            Console.WriteLine($"Wrote {page} ({notebooks.Length} notebooks)");
            return 0;
        }));
        return cmd;
    }
}
