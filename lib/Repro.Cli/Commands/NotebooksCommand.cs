using System.CommandLine;
using Repro.Experiments;
using Repro.Notebooks;

namespace Repro.Cli.Commands;

/// <summary>
/// `repro notebooks run|refresh|check|params`: runs lessons headlessly (scratch copies under results/notebooks), regenerates
/// and checks the executed copies committed under notebooks/executed/, lists a lesson's parameters.
/// </summary>
static class NotebooksCommand
{
    /// <summary>Parameters the CLI sets for every notebook, whether or not it reads them.</summary>
    static readonly string[] HostParameters = ["profile", "results"];

    public static Command Create()
    {
        var cmd = new Command("notebooks", "Headless Polyglot notebook runner");
        cmd.Subcommands.Add(Run());
        cmd.Subcommands.Add(Refresh());
        cmd.Subcommands.Add(Check());
        cmd.Subcommands.Add(Params());
        return cmd;
    }

    static Argument<string[]> Files(ArgumentArity arity) => new("notebooks") { Description = "Notebook files (.ipynb)", Arity = arity };

    static Option<string[]> ParamOption() =>
        new("--param") { Description = "Notebook parameter name=value (repeatable); `repro notebooks params FILE` lists them", AllowMultipleArgumentsPerToken = true };

    static Command Run()
    {
        var files = Files(ArgumentArity.OneOrMore);
        var profile = CommonOptions.Profile();
        var results = CommonOptions.Results();
        var force = CommonOptions.Force();
        var output = new Option<string?>("--out") { Description = "Folder for the executed copies (default: <results>/notebooks)" };
        var parameters = ParamOption();
        var run = new Command("run", "Run notebooks headlessly, in order; exit 1 at the first failed cell, naming notebook and cell")
        {
            files, profile, results, force, output, parameters,
        };
        run.SetAction(p => CliErrors.Guard(p, () =>
        {
            var store = CommonOptions.Store(p.GetValue(results));
            var outDir = Path.GetFullPath(p.GetValue(output) ?? Path.Combine(store.Root, "notebooks"));
            var overrides = ParseParams(p.GetValue(parameters));
            var paths = p.GetValue(files)!.Select(Path.GetFullPath).ToList();
            RefuseUnknownParameters(paths, overrides.Keys);
            foreach (var path in paths)
            {
                var options = new RunOptions
                {
                    OutputDirectory = outDir, Overwrite = p.GetValue(force), Profile = p.GetValue(profile)!, Log = Console.Error,
                };
                options.Parameters["results"] = store.Root;
                foreach (var (k, v) in overrides) options.Parameters[k] = v;
                var watch = System.Diagnostics.Stopwatch.StartNew();
                var result = NotebookRunner.RunAsync(path, options).GetAwaiter().GetResult();
                if (!result.Succeeded)
                {
                    Console.Error.WriteLine($"error: {result.FailureMessage}");
                    return 1;
                }
                Console.WriteLine($"{path}: {result.Cells.Count} cells ok in {watch.Elapsed.TotalSeconds:F0} s -> {result.OutputPath}");
            }
            return 0;
        }));
        return run;
    }

    static Command Refresh()
    {
        var files = Files(ArgumentArity.ZeroOrMore);
        files.Description = "Lessons to run (default: every notebooks/*.ipynb of the repository)";
        var results = CommonOptions.Results();
        var cmd = new Command("refresh",
            $"Regenerate the executed copies committed beside the lessons (notebooks/{ExecutedCopies.FolderName}/, profile " +
            $"{ExecutedCopies.Profile}): outputs with static charts, paths relative to the repository, no timings; " +
            "a copy is replaced only when its lesson ran to the end")
        {
            files, results,
        };
        cmd.SetAction(p => CliErrors.Guard(p, () =>
        {
            var root = Path.GetDirectoryName(ResultsStore.DefaultRoot())!;
            var store = CommonOptions.Store(p.GetValue(results));
            var paths = p.GetValue(files) is { Length: > 0 } given ? given.Select(Path.GetFullPath).ToList() : Lessons(root);
            var failed = new List<string>();
            foreach (var path in paths)
            {
                var options = new RunOptions
                {
                    Profile = ExecutedCopies.Profile, Log = Console.Error, RecordDurations = false, RelativeTo = root,
                };
                options.Parameters["results"] = store.Root;
                var watch = System.Diagnostics.Stopwatch.StartNew();
                var result = NotebookRunner.RunAsync(path, options).GetAwaiter().GetResult();
                if (!result.Succeeded)
                {
                    Console.Error.WriteLine($"error: {result.FailureMessage}; its executed copy is left as it was");
                    failed.Add(path);
                    continue;
                }
                var copy = Path.Combine(Path.GetDirectoryName(path)!, ExecutedCopies.FolderName, Path.GetFileName(path));
                Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
                result.Executed.Save(copy, overwrite: true);
                Console.WriteLine($"{path}: ok in {watch.Elapsed.TotalSeconds:F0} s -> {copy} ({new FileInfo(copy).Length / 1024} kB)");
            }
            if (failed.Count > 0) Console.Error.WriteLine($"error: {failed.Count} of {paths.Count} lessons failed: {string.Join(", ", failed.Select(Path.GetFileName))}");
            return failed.Count == 0 ? 0 : 1;
        }));
        return cmd;
    }

    static Command Check()
    {
        var folder = new Option<string?>("--notebooks") { Description = "The lessons' folder (default: notebooks/ of the repository)" };
        var cmd = new Command("check",
            $"Check that every lesson has an executed copy in notebooks/{ExecutedCopies.FolderName}/ whose code cells equal the lesson's, " +
            $"from a successful {ExecutedCopies.Profile} run; exit 1 listing every problem")
        {
            folder,
        };
        cmd.SetAction(p => CliErrors.Guard(p, () =>
        {
            var dir = Path.GetFullPath(p.GetValue(folder) ?? Path.Combine(Path.GetDirectoryName(ResultsStore.DefaultRoot())!, "notebooks"));
            if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"{dir} does not exist; pass --notebooks DIR");
            var problems = ExecutedCopies.Check(dir, Path.Combine(dir, ExecutedCopies.FolderName));
            foreach (var problem in problems) Console.Error.WriteLine($"error: {problem}");
            if (problems.Count > 0)
            {
                Console.Error.WriteLine("`repro notebooks refresh` regenerates the executed copies.");
                return 1;
            }
            Console.WriteLine($"{Directory.GetFiles(dir, "*.ipynb").Length} executed copies match their lessons.");
            return 0;
        }));
        return cmd;
    }

    static Command Params()
    {
        var files = Files(ArgumentArity.OneOrMore);
        var parameters = ParamOption();
        var cmd = new Command("params",
            "List the parameters each notebook reads (name, type, default, choices) and the value an override would give " +
            "(--param here, else a REPRO_PARAM_<NAME> environment variable)")
        {
            files, parameters,
        };
        cmd.SetAction(p => CliErrors.Guard(p, () =>
        {
            var overrides = ParseParams(p.GetValue(parameters));
            var paths = p.GetValue(files)!.Select(Path.GetFullPath).ToList();
            RefuseUnknownParameters(paths, overrides.Keys);
            foreach (var path in paths)
                Console.Write(ParameterTable.Format(path, Notebook.Load(path), overrides));
            return 0;
        }));
        return cmd;
    }

    static List<string> Lessons(string root)
    {
        var dir = Path.Combine(root, "notebooks");
        var lessons = Directory.Exists(dir) ? Directory.GetFiles(dir, "*.ipynb").Order(StringComparer.Ordinal).ToList() : [];
        return lessons.Count > 0 ? lessons : throw new FileNotFoundException($"{dir}: no lessons (*.ipynb); run from the repository or name the notebooks");
    }

    static Dictionary<string, string> ParseParams(string[]? values)
    {
        var overrides = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var bad = new List<string>();
        foreach (var kv in values ?? [])
        {
            var eq = kv.IndexOf('=');
            if (eq <= 0) bad.Add($"--param {kv}: expected name=value");
            else overrides[kv[..eq].Trim()] = kv[(eq + 1)..];
        }
        return bad.Count == 0 ? overrides : throw new ArgumentException(string.Join("\n", bad));
    }

    /// <summary>Every --param that a notebook does not read, for all notebooks at once, before anything runs.</summary>
    static void RefuseUnknownParameters(IEnumerable<string> paths, IEnumerable<string> names)
    {
        var problems = paths.SelectMany(p => ParameterCell.Unknown(Notebook.Load(p), Path.GetFileName(p), names, HostParameters)).ToList();
        if (problems.Count > 0) throw new ArgumentException(string.Join("\n", problems));
    }
}
