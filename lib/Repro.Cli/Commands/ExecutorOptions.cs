using System.CommandLine;
using Repro.Experiments;
using Repro.Experiments.Executors;

namespace Repro.Cli.Commands;

/// <summary>
/// How `repro reproduce` trains a table's runs: in this process one after another (the default), as N local processes
/// at a time (<c>--jobs N</c>), or as one Slurm array (<c>--executor slurm</c>), each task a <c>repro train --spec</c>
/// process writing into the same results store. The table itself is then assembled from the store as always.
/// </summary>
sealed class ExecutorOptions
{
    public Option<string> Executor { get; } = new Option<string>("--executor")
    {
        Description = "local (default: this machine) | slurm (one sbatch --array job, one task per unfinished run, into the same results store)",
        DefaultValueFactory = _ => "local",
    }.AcceptOnlyFromAmong("local", "slurm");
    public Option<int?> Jobs { get; } = new("--jobs") { Description = "Runs at a time: local processes, each with its share of the cores (default: one, in this process); with slurm, the array's limit (%N)" };
    public Option<bool> Wait { get; } = new("--wait") { Description = "slurm: block until the array ends, then print the table (default: print the job id and return)" };
    public Option<bool> DryRun { get; } = new("--dry-run") { Description = "Write the task specs (and the sbatch script) and print what would run, without running it" };
    public Option<string?> Partition { get; } = new("--partition") { Description = "slurm: partition" };
    public Option<string?> Time { get; } = new("--time") { Description = "slurm: time limit per task (sbatch --time, e.g. 2:00:00)" };
    public Option<int?> CpusPerTask { get; } = new("--cpus-per-task") { Description = "slurm: cores per task, and its compute threads (default 1)" };
    public Option<string?> GpusPerTask { get; } = new("--gpus-per-task") { Description = "slurm: GPUs per task (with --device cuda)" };
    public Option<string?> Mem { get; } = new("--mem") { Description = "slurm: memory per task's node (sbatch --mem, e.g. 8G)" };
    public Option<string[]> SbatchArgs { get; } = new("--sbatch-arg") { Description = "slurm: another sbatch option, e.g. --sbatch-arg=--account=proj (repeatable)" };

    Option[] SlurmOnly => [Wait, Partition, Time, CpusPerTask, GpusPerTask, Mem, SbatchArgs];

    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { Executor, Jobs, DryRun }.Concat(SlurmOnly)) command.Options.Add(o);
    }

    /// <summary>Refuses options that do not fit together, before anything trains or is written.</summary>
    public void Check(ParseResult p)
    {
        var slurm = p.GetValue(Executor) == "slurm";
        if (!slurm && SlurmOnly.FirstOrDefault(o => p.GetResult(o) is { Implicit: false }) is { } misplaced)
            throw new ArgumentException($"{misplaced.Name} applies to --executor slurm.");
        if (p.GetValue(Jobs) is < 1) throw new ArgumentException($"--jobs {p.GetValue(Jobs)}: expected at least 1.");
        if (slurm) _ = SlurmSettings(p).Directives().ToList();   // each option's own check
    }

    SlurmOptions SlurmSettings(ParseResult p) => new()
    {
        Partition = p.GetValue(Partition), Time = p.GetValue(Time), CpusPerTask = p.GetValue(CpusPerTask) ?? 1,
        GpusPerTask = p.GetValue(GpusPerTask), Mem = p.GetValue(Mem), MaxRunning = p.GetValue(Jobs), ExtraArgs = p.GetValue(SbatchArgs) ?? [],
    };

    /// <summary>True when the runs train in this process, one after another (today's behaviour).</summary>
    public bool InProcess(ParseResult p) => p.GetValue(Executor) == "local" && (p.GetValue(Jobs) ?? 1) == 1 && !p.GetValue(DryRun);

    /// <summary>
    /// Trains the runs of <paramref name="plan"/> that are not finished with the chosen executor. Returns null when every
    /// run is finished and the table can be assembled, else the exit code to stop with (a dry run, a job not waited for,
    /// failed runs, each listed with its log).
    /// </summary>
    public int? Execute(ParseResult p, ResultsStore store, IReadOnlyList<RunSpec> plan, string name, bool force, bool resume, string device, int? threads = null)
    {
        Check(p);
        var slurm = p.GetValue(Executor) == "slurm";
        var todo = plan.DistinctBy(s => s.Key).Where(s => force || RunStatus.Of(store, s).State != RunState.Finished).ToList();
        if (todo.Count == 0)
        {
            Console.WriteLine($"All {plan.Count} runs are finished in {store.Root}.");
            return null;
        }
        var task = Self() with { Resume = resume, Force = force, Device = device };
        var submission = Submission.Create(store, name, todo);
        return slurm ? Slurm(p, store, submission, task, name) : Local(p, store, submission, task, threads);
    }

    int? Local(ParseResult p, ResultsStore store, Submission s, TrainTask task, int? threads)
    {
        var local = new LocalExecutor { Task = task, Jobs = p.GetValue(Jobs) ?? 1, Threads = threads };
        if (p.GetValue(DryRun))
        {
            for (int i = 0; i < s.Runs.Count; i++) Console.WriteLine(local.CommandLine(s, store, i));
            Console.WriteLine($"(dry run: {s.Runs.Count} task specs written to {s.Folder}; nothing ran)");
            return 0;
        }
        Console.WriteLine($"Training {s.Runs.Count} runs, {local.Jobs} at a time with {local.ThreadsPerJob} thread(s) each; logs in {s.LogFolder}");
        var failed = local.Run(s, store, Console.WriteLine);
        return Report(store, s, failed.Select(i => (i, local.LogFile(s, i), (string?)null)).ToList());
    }

    int? Slurm(ParseResult p, ResultsStore store, Submission s, TrainTask task, string name)
    {
        var options = SlurmSettings(p);
        if (options.GpusPerTask is not null && task.Device != "cuda")
            Console.WriteLine("note: --gpus-per-task without --device cuda: the tasks get GPUs but train on the CPU.");
        var slurm = new SlurmExecutor { Task = task, Options = options, Poll = PollInterval };
        var origin = "repro " + string.Join(" ", Retyped(p.Tokens.Select(t => t.Value)).Select(Shell.Quote));
        var script = slurm.Write(s, store, $"repro-{name}", origin);
        if (p.GetValue(DryRun))
        {
            Console.Write(script);
            Console.WriteLine($"(dry run: written to {s.ScriptPath}; not submitted)");
            return 0;
        }
        var job = slurm.Submit(s, store);
        Console.WriteLine($"Submitted Slurm job {job}: {s.Runs.Count} tasks ({s.ScriptPath}; logs in {s.LogFolder}).");
        if (!p.GetValue(Wait))
        {
            Console.WriteLine("`repro status` with the same table options shows where the runs stand; run this command again (without --executor) once the job has ended to print the table.");
            return 0;
        }
        slurm.Wait(job, Console.WriteLine);
        var unfinished = Enumerable.Range(0, s.Runs.Count).Where(i => RunStatus.Of(store, s.Runs[i]).State != RunState.Finished).ToList();
        return Report(store, s, unfinished.Select(i => (i, SlurmExecutor.LogFile(s, job, i), SlurmExecutor.TaskState(job, i))).ToList());
    }

    /// <summary>The command line as it can be typed again: --sbatch-arg and its value (an option itself) joined by '='.</summary>
    IEnumerable<string> Retyped(IEnumerable<string> tokens)
    {
        bool after = false;
        foreach (var t in tokens)
        {
            if (after) yield return $"{SbatchArgs.Name}={t}";
            else if (t != SbatchArgs.Name) yield return t;
            after = t == SbatchArgs.Name;
        }
    }

    /// <summary>How often --wait asks squeue: REPRO_SLURM_POLL_SECONDS, else 10 s.</summary>
    static TimeSpan PollInterval => TimeSpan.FromSeconds(double.TryParse(Environment.GetEnvironmentVariable("REPRO_SLURM_POLL_SECONDS"),
        System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var s) && s > 0 ? s : 10);

    static int? Report(ResultsStore store, Submission s, IReadOnlyList<(int Task, string Log, string? SlurmState)> failed)
    {
        if (failed.Count == 0) return null;
        Console.Error.WriteLine($"error: {failed.Count} of {s.Runs.Count} runs did not finish:");
        foreach (var (i, log, state) in failed)
        {
            var status = RunStatus.Of(store, s.Runs[i]);
            Console.Error.WriteLine($"  task {i}: {StatusCommand.Line(status)}{(state is null ? "" : $" [Slurm: {state}]")}");
            Console.Error.WriteLine($"    log {status.Log ?? log}");
        }
        Console.Error.WriteLine("Fix the cause and run the same command again (add --resume to continue interrupted runs); finished runs are kept.");
        return 1;
    }

    /// <summary>
    /// This CLI as a child process: the dotnet host running the CLI's own dll (so it works from `dotnet run`, an
    /// installed tool and the tests alike).
    /// </summary>
    static TrainTask Self()
    {
        var dll = typeof(CliApp).Assembly.Location;
        var host = Environment.ProcessPath is { } pp && Path.GetFileNameWithoutExtension(pp) == "dotnet" ? pp
            : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h ? h
            : (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Select(d => Path.Combine(d, "dotnet")).FirstOrDefault(File.Exists) ?? "dotnet";
        return new TrainTask(host, [dll]);
    }
}
