using System.CommandLine;
using Repro.Experiments;
using Repro.Experiments.Datasets;

namespace Repro.Cli.Commands;

/// <summary>Options shared by several commands.</summary>
static class CommonOptions
{
    public static Option<string> Profile() => new Option<string>("--profile")
    {
        Description = string.Join("; ", Experiments.Profile.All.Select(p => $"{p.Name}: {p.Description}")),
        DefaultValueFactory = _ => Experiments.Profile.Default.Name,
    }.AcceptOnlyFromAmong([.. Experiments.Profile.Names]);
    public static Option<string?> Results() => new("--results") { Description = "Results folder (default: results/ at the repository root)" };
    public static Option<bool> Force() => new("--force") { Description = "Run again even when a finished run or file exists, replacing it" };

    public static ResultsStore Store(string? results) => new(results ?? ResultsStore.DefaultRoot());

    public static Option<int?> Threads(string description) => new("--threads") { Description = description };

    /// <summary>
    /// libtorch's compute threads for the runs of this command (null: as they are), restored when disposed: commands
    /// also run in-process, one after another (the tests). A run's numbers depend on its thread count (parallel
    /// reductions split by it), so runs compared number for number use the same.
    /// </summary>
    public static IDisposable UseThreads(int? threads)
    {
        if (threads is not { } n) return new Restore(null);
        if (n < 1) throw new ArgumentException($"--threads {n}: expected at least 1.");
        var before = TorchSharp.torch.get_num_threads();
        TorchSharp.torch.set_num_threads(n);
        return new Restore(before);
    }

    sealed class Restore(int? threads) : IDisposable
    {
        public void Dispose()
        {
            if (threads is { } n) TorchSharp.torch.set_num_threads(n);
        }
    }
}

/// <summary>
/// The options of every command that trains (`repro train`, `repro reproduce`), declared once, and what they resolve to:
/// the dataset id, the data root, one <see cref="Profile"/>, the results store, and a runner.
/// </summary>
sealed class TrainingOptions
{
    public Option<string> Dataset { get; } = new("--dataset")
    {
        Description = $"Dataset id[:protocol][:key=value...]: {DatasetRegistry.Describe()}",
        DefaultValueFactory = _ => "cremad",
    };
    public Option<string?> Data { get; } = new("--data") { Description = "Root of the real dataset; without it the embedded stand-in is built and used" };
    public Option<string> Profile { get; } = CommonOptions.Profile();
    public Option<string?> Results { get; } = CommonOptions.Results();
    public Option<bool> Force { get; } = CommonOptions.Force();
    public Option<bool> Resume { get; } = new("--resume") { Description = "Continue an interrupted run from its last checkpoint" };
    public Option<string> Selection { get; } = new Option<string>("--selection")
    {
        Description = "validation (default: best epoch on a split carved from training data) | test-best (what the official code does) | last",
        DefaultValueFactory = _ => "validation",
    }.AcceptOnlyFromAmong("validation", "test-best", "last");
    public Option<string> Device { get; } = new Option<string>("--device")
    {
        Description = "cpu (default) or cuda (needs the CUDA backend build: see environment.md)",
        DefaultValueFactory = _ => "cpu",
    }.AcceptOnlyFromAmong("cpu", "cuda");

    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { Dataset, Data, Profile, Results, Force, Resume, Selection, Device }) command.Options.Add(o);
    }

    /// <summary>Only the options that say which runs are meant (dataset, data, profile, results, selection): commands that train nothing (`repro status`).</summary>
    public void AddRunOptionsTo(Command command)
    {
        foreach (var o in new Option[] { Dataset, Data, Profile, Results, Selection }) command.Options.Add(o);
    }

    /// <summary>The dataset id, checked against the registry (unknown ids, protocols and settings are refused with suggestions).</summary>
    public string DatasetId(ParseResult p)
    {
        var id = p.GetValue(Dataset)!;
        DatasetRegistry.Check(id);
        return id;
    }

    public Profile ProfileOf(ParseResult p) => Experiments.Profile.Named(p.GetValue(Profile)!);
    public ResultsStore Store(ParseResult p) => CommonOptions.Store(p.GetValue(Results));

    public Training.Selection SelectionOf(ParseResult p) => p.GetValue(Selection) switch
    {
        "test-best" => Training.Selection.TestBest,
        "last" => Training.Selection.Last,
        _ => Training.Selection.Validation,
    };

    /// <summary>The runner these options ask for; <paramref name="force"/> overrides --force (false once an executor has trained the runs).</summary>
    public ExperimentRunner Runner(ParseResult p, ConsoleObserver observer, bool? force = null) => new(Store(p))
    {
        Force = force ?? p.GetValue(Force), Resume = p.GetValue(Resume), Observer = observer, DataProgress = observer, Device = DeviceOf(p),
    };

    /// <summary>--device as given (cpu, cuda): what a child process is told; not checked here (a Slurm task's node has the GPU, not the submitting one).</summary>
    public string DeviceName(ParseResult p) => p.GetValue(Device)!;

    TorchSharp.torch.Device DeviceOf(ParseResult p)
    {
        var d = p.GetValue(Device);
        if (d == "cuda" && !TorchSharp.torch.cuda.is_available())
            throw new InvalidOperationException("--device cuda: no CUDA device is visible to TorchSharp; build with -p:TorchBackend=cuda on a machine with an NVIDIA GPU (environment.md).");
        return d == "cuda" ? TorchSharp.torch.CUDA : TorchSharp.torch.CPU;
    }
}
