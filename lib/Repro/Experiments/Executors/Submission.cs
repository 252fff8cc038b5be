using System.Globalization;
using System.Text.Json;

namespace Repro.Experiments.Executors;

/// <summary>
/// Runs handed to an executor at once, kept under <c>&lt;results&gt;/jobs/&lt;table run&gt;/&lt;time&gt;/</c>: task i's spec
/// <c>specs/i.json</c> (<see cref="RunSpecFile"/>), the logs under <c>logs/</c>, the sbatch script (<c>submit.sh</c>,
/// Slurm) and <c>submission.json</c> (executor, job id, and each task's run and log), which <c>repro status</c> reads.
/// </summary>
public sealed class Submission
{
    public const string ScriptName = "submit.sh", RecordName = "submission.json";

    /// <summary>What submission.json holds.</summary>
    public sealed record Record(string Executor, string? JobId, string Created, string Command, List<TaskEntry> Tasks);
    public sealed record TaskEntry(int Index, string Key, string Run, string Log);

    Submission(string folder, IReadOnlyList<RunSpec> runs)
    {
        Folder = folder;
        Runs = runs;
    }

    public string Folder { get; }
    public IReadOnlyList<RunSpec> Runs { get; }
    public string ScriptPath => Path.Combine(Folder, ScriptName);
    public string LogFolder => Path.Combine(Folder, "logs");
    public string SpecFile(int task) => Path.Combine(Folder, "specs", $"{task}.json");

    /// <summary>The folder of a table's submissions: <c>&lt;results&gt;/jobs/&lt;name&gt;</c>.</summary>
    public static string TableFolder(ResultsStore store, string name) => Path.Combine(store.Root, "jobs", name);

    /// <summary>A new submission folder for <paramref name="runs"/> with one spec file per task.</summary>
    public static Submission Create(ResultsStore store, string name, IReadOnlyList<RunSpec> runs)
    {
        var stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var folder = Path.Combine(TableFolder(store, name), $"{stamp}-{Guid.NewGuid().ToString("N")[..6]}");
        Directory.CreateDirectory(Path.Combine(folder, "logs"));
        var s = new Submission(folder, runs);
        for (int i = 0; i < runs.Count; i++) RunSpecFile.Write(s.SpecFile(i), runs[i]);
        return s;
    }

    /// <summary>Writes submission.json: the executor, its job id (Slurm) and task i's run folder and log.</summary>
    public void Save(ResultsStore store, string executor, string? jobId, string command, Func<int, string> log) =>
        AtomicFile.WriteAllText(Path.Combine(Folder, RecordName), JsonSerializer.Serialize(new Record(executor, jobId,
            DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture), command,
            Runs.Select((r, i) => new TaskEntry(i, r.Key, store.RunDirectory(r), log(i))).ToList()), Json.Options));

    /// <summary>The latest recorded submission of a table and its folder, or null.</summary>
    public static (Record Record, string Folder)? Latest(ResultsStore store, string name)
    {
        var root = TableFolder(store, name);
        if (!Directory.Exists(root)) return null;
        foreach (var folder in Directory.GetDirectories(root).Order(StringComparer.Ordinal).Reverse())
        {
            var path = Path.Combine(folder, RecordName);
            if (!File.Exists(path)) continue;   // a dry run, or one whose submission failed
            try { return (JsonSerializer.Deserialize<Record>(File.ReadAllText(path), Json.Options)!, folder); }
            catch (JsonException e) { throw new InvalidDataException($"{path}: unreadable submission record ({e.Message}).", e); }
        }
        return null;
    }
}
