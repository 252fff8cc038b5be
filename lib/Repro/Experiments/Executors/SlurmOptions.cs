namespace Repro.Experiments.Executors;

/// <summary>What each array task asks Slurm for (sbatch's own option names); null leaves the cluster's default.</summary>
public sealed record SlurmOptions
{
    public string? Partition { get; init; }
    /// <summary>Time limit per task, in any form sbatch takes (minutes, HH:MM:SS, D-HH).</summary>
    public string? Time { get; init; }
    public int CpusPerTask { get; init; } = 1;
    public string? GpusPerTask { get; init; }
    /// <summary>Memory per node (sbatch --mem), e.g. 8G.</summary>
    public string? Mem { get; init; }
    /// <summary>At most this many tasks at once (the array's %N), from --jobs.</summary>
    public int? MaxRunning { get; init; }
    /// <summary>Further sbatch options, one per entry, e.g. --account=proj or --qos=short.</summary>
    public IReadOnlyList<string> ExtraArgs { get; init; } = [];

    /// <summary>The #SBATCH options besides the job's name, array and output.</summary>
    public IEnumerable<string> Directives()
    {
        if (CpusPerTask < 1) throw new ArgumentException($"--cpus-per-task {CpusPerTask}: expected at least 1.");
        yield return $"--cpus-per-task={CpusPerTask}";
        if (Partition is not null) yield return $"--partition={Check("--partition", Partition)}";
        if (Time is not null) yield return $"--time={Check("--time", Time)}";
        if (GpusPerTask is not null) yield return $"--gpus-per-task={Check("--gpus-per-task", GpusPerTask)}";
        if (Mem is not null) yield return $"--mem={Check("--mem", Mem)}";
        foreach (var extra in ExtraArgs)
        {
            if (!extra.StartsWith('-')) throw new ArgumentException($"--sbatch-arg {extra}: expected an sbatch option such as --account=NAME (one option per --sbatch-arg).");
            yield return Check("--sbatch-arg", extra);
        }
    }

    static string Check(string option, string value) =>
        value.Length == 0 || value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))
            ? throw new ArgumentException($"{option} '{value}': expected one word without spaces (it becomes an #SBATCH line).")
            : value;
}
