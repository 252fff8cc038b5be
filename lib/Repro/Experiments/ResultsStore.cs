using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Repro.Experiments;

/// <summary>
/// Where runs live: `&lt;results&gt;/runs/&lt;dataset&gt;-&lt;profile&gt;/&lt;run key&gt;/` with run.json (spec, selected metrics,
/// history), history.csv, and checkpoints/. Files are written atomically; a finished run is never replaced unless the
/// caller forces it. Many processes on many machines may share one store (a shared filesystem): the process training a
/// run holds its claim/ (<see cref="Executors.RunClaim"/>).
/// </summary>
public sealed class ResultsStore
{
    public ResultsStore(string root) => Root = Path.GetFullPath(root);

    public string Root { get; }

    /// <summary>The default results folder: `results/` at the repository root (found from the working directory), else ./results.</summary>
    public static string DefaultRoot()
    {
        for (var d = new DirectoryInfo(Directory.GetCurrentDirectory()); d != null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Repro.sln"))) return Path.Combine(d.FullName, "results");
        return Path.Combine(Directory.GetCurrentDirectory(), "results");
    }

    public string RunDirectory(RunSpec spec) => Path.Combine(Root, "runs", $"{spec.Dataset}{(spec.DataRoot is null ? "" : "-data")}-{spec.Profile.Name}", spec.Key);
    public string CheckpointDirectory(RunSpec spec) => Path.Combine(RunDirectory(spec), "checkpoints");
    string RunFile(RunSpec spec) => Path.Combine(RunDirectory(spec), "run.json");

    /// <summary>Removes a run's files (for --force), keeping the leases in it: its claim (<see cref="Executors.RunClaim"/>), which the caller holds, and *.lock.</summary>
    public void Clear(RunSpec spec)
    {
        var dir = RunDirectory(spec);
        if (!Directory.Exists(dir)) return;
        foreach (var entry in Directory.EnumerateFileSystemEntries(dir).Where(e => Path.GetFileName(e) != Executors.RunClaim.FolderName && !e.EndsWith(".lock")).ToList())
            if (Directory.Exists(entry)) Directory.Delete(entry, true);
            else File.Delete(entry);
    }

    public RunResult? TryLoad(RunSpec spec)
    {
        var path = RunFile(spec);
        if (!File.Exists(path)) return null;
        try { return JsonSerializer.Deserialize<RunResult>(File.ReadAllText(path), Json.Options); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: unreadable run result ({e.Message}); remove it or run with --force.", e); }
    }

    public void Save(RunSpec spec, RunResult result, bool overwrite)
    {
        // run.json is written last: it marks the run finished (a history.csv without it is an interrupted save).
        var dir = RunDirectory(spec);
        if (!overwrite && File.Exists(RunFile(spec))) throw new IOException($"{RunFile(spec)} already exists; refusing to replace a finished run (use --force).");
        AtomicFile.WriteAllText(Path.Combine(dir, "history.csv"), HistoryCsv(result));
        AtomicFile.WriteAllText(RunFile(spec), JsonSerializer.Serialize(result, Json.Options), overwrite: overwrite);
    }

    /// <summary>One row per epoch: lr, train losses, validation and test metrics.</summary>
    public static string HistoryCsv(RunResult r)
    {
        var lossKeys = r.History.SelectMany(h => h.TrainLosses.Keys).Distinct().Order().ToArray();
        var valKeys = r.History.SelectMany(h => h.Validation?.Keys ?? Enumerable.Empty<string>()).Distinct().Order().ToArray();
        var testKeys = r.History.SelectMany(h => h.Test?.Keys ?? Enumerable.Empty<string>()).Distinct().Order().ToArray();
        var probeKeys = r.History.SelectMany(h => h.Probes?.Keys ?? Enumerable.Empty<string>()).Distinct().Order().ToArray();
        var sb = new StringBuilder();
        sb.AppendJoin(',', new[] { "epoch", "lr", "seconds" }.Concat(lossKeys.Select(k => "train_" + k)).Concat(valKeys.Select(k => "val_" + k)).Concat(testKeys.Select(k => "test_" + k)).Concat(probeKeys.Select(k => "probe_" + k)));
        sb.Append('\n');
        foreach (var h in r.History)
        {
            var cells = new List<string> { (h.Epoch + 1).ToString(CultureInfo.InvariantCulture), F(h.Lr), F(h.Seconds) };
            cells.AddRange(lossKeys.Select(k => h.TrainLosses.TryGetValue(k, out var v) ? F(v) : ""));
            cells.AddRange(valKeys.Select(k => h.Validation is not null && h.Validation.TryGetValue(k, out var v) ? F(v) : ""));
            cells.AddRange(testKeys.Select(k => h.Test is not null && h.Test.TryGetValue(k, out var v) ? F(v) : ""));
            cells.AddRange(probeKeys.Select(k => h.Probes is not null && h.Probes.TryGetValue(k, out var v) ? F(v) : ""));
            sb.AppendJoin(',', cells).Append('\n');
        }
        return sb.ToString();

        static string F(double v) => v.ToString("G9", CultureInfo.InvariantCulture);
    }
}
