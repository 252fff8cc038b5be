namespace Repro.Experiments.Executors;

/// <summary>
/// How an executor starts one run as its own process: <c>repro train --spec FILE --results DIR --threads N</c>, through
/// <paramref name="Program"/> and <paramref name="Prefix"/> (the dotnet host and the CLI's dll), with the flags every
/// task of a submission shares.
/// </summary>
public sealed record TrainTask(string Program, IReadOnlyList<string> Prefix)
{
    public bool Resume { get; init; }
    public bool Force { get; init; }
    /// <summary>cpu or cuda, passed through to every task.</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>The arguments after <see cref="Program"/>; <paramref name="specFile"/> and <paramref name="threads"/> may be shell words ("$spec").</summary>
    public IEnumerable<string> Arguments(string specFile, string results, string threads) =>
    [
        .. Prefix, "train", "--spec", specFile, "--results", results, "--threads", threads,
        .. Resume ? ["--resume"] : Array.Empty<string>(), .. Force ? ["--force"] : Array.Empty<string>(),
        .. Device == "cpu" ? Array.Empty<string>() : ["--device", Device],
    ];

    /// <summary>
    /// The environment that keeps a task on its share of the cores: OpenMP and MKL (libtorch's intra-op pools) and
    /// .NET's processor count (data preparation) all set to the task's threads.
    /// </summary>
    public static readonly string[] ThreadVariables = ["OMP_NUM_THREADS", "MKL_NUM_THREADS", "DOTNET_PROCESSOR_COUNT"];

    /// <summary>The variable a task's log path travels in, so its claim and failure record can name it (<see cref="FileLease.Holder.Log"/>).</summary>
    public const string LogVariable = "REPRO_LOG";
}
