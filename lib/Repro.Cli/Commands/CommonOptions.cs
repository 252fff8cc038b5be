using System.CommandLine;
using Repro.Experiments;

namespace Repro.Cli.Commands;

/// <summary>Options shared by every command that trains (clarifications: names and defaults).</summary>
static class CommonOptions
{
    public static Option<string> Dataset() => new("--dataset") { Description = "Dataset id (cremad)", DefaultValueFactory = _ => "cremad" };
    public static Option<string?> Data() => new("--data") { Description = "Root of the real dataset; without it the embedded stand-in is built and used" };
    public static Option<string> Profile() => new Option<string>("--profile") { Description = "smoke | embedded | paper", DefaultValueFactory = _ => "embedded" }
        .AcceptOnlyFromAmong("smoke", "embedded", "paper");
    public static Option<string?> Results() => new("--results") { Description = "Results folder (default: results/ at the repository root)" };
    public static Option<bool> Force() => new("--force") { Description = "Run again even when a finished run or file exists, replacing it" };
    public static Option<bool> Resume() => new("--resume") { Description = "Continue an interrupted run from its last checkpoint" };
    public static Option<string> Selection() => new Option<string>("--selection")
    {
        Description = "validation (default: best epoch on a split carved from training data) | test-best (what the official code does) | last",
        DefaultValueFactory = _ => "validation",
    }.AcceptOnlyFromAmong("validation", "test-best", "last");

    public static Option<string> Device() => new Option<string>("--device")
    {
        Description = "cpu (default) or cuda (needs the CUDA backend build: see environment.md)",
        DefaultValueFactory = _ => "cpu",
    }.AcceptOnlyFromAmong("cpu", "cuda");

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

    public static TorchSharp.torch.Device ParseDevice(string d)
    {
        if (d == "cuda" && !TorchSharp.torch.cuda.is_available())
            throw new InvalidOperationException("--device cuda: no CUDA device is visible to TorchSharp; build with -p:TorchBackend=cuda on a machine with an NVIDIA GPU (environment.md).");
        return d == "cuda" ? TorchSharp.torch.CUDA : TorchSharp.torch.CPU;
    }

    public static Training.Selection ParseSelection(string s) => s switch
    {
        "test-best" => Training.Selection.TestBest,
        "last" => Training.Selection.Last,
        _ => Training.Selection.Validation,
    };

    public static ResultsStore Store(string? results) => new(results ?? ResultsStore.DefaultRoot());
}
