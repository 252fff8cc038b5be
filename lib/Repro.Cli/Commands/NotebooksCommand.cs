using System.CommandLine;
using Repro.Experiments;
using Repro.Notebooks;

namespace Repro.Cli.Commands;

/// <summary>`repro notebooks run FILES...`: executes lessons headlessly and writes executed copies with their outputs.</summary>
static class NotebooksCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("notebooks") { Description = "Notebook files (.ipynb)", Arity = ArgumentArity.OneOrMore };
        var profile = CommonOptions.Profile();
        var results = CommonOptions.Results();
        var force = CommonOptions.Force();
        var output = new Option<string?>("--out") { Description = "Folder for the executed copies (default: <results>/notebooks)" };
        var parameters = new Option<string[]>("--param") { Description = "Notebook parameter name=value (repeatable)", AllowMultipleArgumentsPerToken = true };
        var embed = new Option<bool>("--embed-plotly-in-every-chart") { Description = "Inline plotly.js in every chart output, not once per notebook" };
        var run = new Command("run", "Run notebooks headlessly, in order; exit 1 at the first failed cell, naming notebook and cell")
        {
            files, profile, results, force, output, parameters, embed,
        };
        run.SetAction(p => CliErrors.Guard(p, () =>
        {
            var store = CommonOptions.Store(p.GetValue(results));
            var outDir = Path.GetFullPath(p.GetValue(output) ?? Path.Combine(store.Root, "notebooks"));
            foreach (var file in p.GetValue(files)!)
            {
                var options = new RunOptions
                {
                    OutputDirectory = outDir, Overwrite = p.GetValue(force), Profile = p.GetValue(profile)!,
                    EmbedPlotlyInEveryChart = p.GetValue(embed), Log = Console.Error,
                };
                options.Parameters["results"] = store.Root;
                foreach (var kv in p.GetValue(parameters) ?? [])
                {
                    int eq = kv.IndexOf('=');
                    if (eq <= 0) throw new ArgumentException($"--param {kv}: expected name=value.");
                    options.Parameters[kv[..eq]] = kv[(eq + 1)..];
                }
                var watch = System.Diagnostics.Stopwatch.StartNew();
                var result = NotebookRunner.RunAsync(Path.GetFullPath(file), options).GetAwaiter().GetResult();
                if (!result.Succeeded)
                {
                    Console.Error.WriteLine($"error: {result.FailureMessage}");
                    return 1;
                }
                Console.WriteLine($"{file}: {result.Cells.Count} cells ok in {watch.Elapsed.TotalSeconds:F0} s -> {result.OutputPath}");
            }
            return 0;
        }));
        var cmd = new Command("notebooks", "Headless Polyglot notebook runner");
        cmd.Subcommands.Add(run);
        return cmd;
    }
}
