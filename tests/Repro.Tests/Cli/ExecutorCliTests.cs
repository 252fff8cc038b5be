using System.Text.Json;
using System.Text.RegularExpressions;
using Repro.Experiments;
using Repro.Experiments.Executors;
using Repro.Experiments.Tables;
using static Repro.Tests.Cli.CliHarness;

namespace Repro.Tests.Cli;

/// <summary>
/// `repro reproduce --executor local --jobs N | slurm` and `repro status`: the sbatch script (array over the unfinished
/// runs, options passed through, --dry-run submits nothing), the script's task training its run, where runs stand, and
/// local jobs filling a table with the numbers of a sequential run.
/// </summary>
[Collection("Console")]
public class ExecutorCliTests
{
    static readonly string[] Smoke = ["mla-table1", "--dataset", "cremad", "--profile", "smoke"];

    /// <summary>The smoke table's runs (of these columns, or all), in the order the table trains them.</summary>
    static IReadOnlyList<RunSpec> Plan(params string[] columns) =>
        TableRunner.Plan(PaperTables.Get("mla-table1"), "cremad", null, Profile.Smoke, onlyColumns: columns.Length == 0 ? null : columns)
            .Runs.Select(r => r.Spec).ToList();

    [Fact]
    public void SlurmDryRunPrintsAnArrayOverTheUnfinishedRunsWithTheOptionsAndSubmitsNothing()
    {
        var results = TestPaths.TempDir("results");
        var (code, _, err) = Run(["reproduce", .. Smoke, "--results", results, "--columns", "Concat"]);
        Assert.True(code == 0, err);

        var bin = TestPaths.TempDir("fake-slurm");
        var marker = Path.Combine(bin, "called");
        foreach (var tool in new[] { "sbatch", "squeue", "scontrol" })
        {
            File.WriteAllText(Path.Combine(bin, tool), $"#!/bin/sh\necho \"$0 $@\" >> {marker}\necho 1\n");
            File.SetUnixFileMode(Path.Combine(bin, tool), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var path = Environment.GetEnvironmentVariable("PATH");
        Environment.SetEnvironmentVariable("PATH", bin + Path.PathSeparator + path);
        string output;
        try
        {
            (code, output, err) = Run(["reproduce", .. Smoke, "--results", results, "--columns", "Concat,MLA,Late Fusion",
                "--executor", "slurm", "--dry-run", "--jobs", "2", "--partition", "gpu", "--time", "1:30:00", "--gpus-per-task", "1",
                "--cpus-per-task", "4", "--mem", "8G", "--sbatch-arg=--account=proj", "--sbatch-arg", "--qos=short", "--device", "cuda"]);
        }
        finally { Environment.SetEnvironmentVariable("PATH", path); }
        Assert.True(code == 0, err);
        Assert.False(File.Exists(marker), "--dry-run called Slurm: " + (File.Exists(marker) ? File.ReadAllText(marker) : ""));

        var folder = Directory.GetDirectories(Submission.TableFolder(new ResultsStore(results), "mla-table1-cremad-smoke-validation")).Single();
        var script = File.ReadAllText(Path.Combine(folder, Submission.ScriptName));
        Assert.Contains(script, output);   // printed as written
        Assert.Contains("(dry run: written to", output);
        var directives = script.Split('\n').Where(l => l.StartsWith("#SBATCH ")).Select(l => l["#SBATCH ".Length..]).ToList();
        Assert.Equal([
            "--job-name=repro-mla-table1-cremad-smoke-validation", "--array=0-1%2", $"--output={folder}/logs/%A_%a.log",
            "--cpus-per-task=4", "--partition=gpu", "--time=1:30:00", "--gpus-per-task=1", "--mem=8G", "--account=proj", "--qos=short",
        ], directives);
        var exec = script.Split('\n').Single(l => l.StartsWith("exec "));
        Assert.EndsWith($"train --spec {folder}/specs/\"${{SLURM_ARRAY_TASK_ID}}.json\" --results {results} --threads \"$threads\" --device cuda", exec);
        Assert.Contains("threads=\"${SLURM_CPUS_PER_TASK:-1}\"", script);
        Assert.Contains("--sbatch-arg=--account=proj --sbatch-arg=--qos=short --device cuda`.", script);   // the command in the comment can be typed again
        Assert.Contains("export OMP_NUM_THREADS=\"$threads\" MKL_NUM_THREADS=\"$threads\" DOTNET_PROCESSOR_COUNT=\"$threads\"", script);

        // the array covers the two unfinished runs, in plan order; Concat, finished, is not in it
        var todo = Plan("MLA", "Late Fusion");
        Assert.Equal(todo.Select(s => s.Key), Enumerable.Range(0, 2).Select(i => RunSpecFile.Read(Path.Combine(folder, "specs", $"{i}.json")).Key));
        Assert.False(File.Exists(Path.Combine(folder, Submission.RecordName)), "a dry run records no submission");
        var syntax = System.Diagnostics.Process.Start("bash", ["-n", Path.Combine(folder, Submission.ScriptName)])!;
        syntax.WaitForExit();
        Assert.Equal(0, syntax.ExitCode);
    }

    [Fact]
    public void SlurmOptionsAreCheckedBeforeAnythingIsWritten()
    {
        var results = TestPaths.TempDir("results");
        var (code, _, err) = Run(["reproduce", .. Smoke, "--results", results, "--columns", "Concat", "--partition", "gpu"]);
        Assert.Equal(1, code);
        Assert.Contains("--partition applies to --executor slurm", err);
        (code, _, err) = Run(["reproduce", .. Smoke, "--results", results, "--columns", "Concat", "--executor", "slurm", "--dry-run", "--sbatch-arg", "account=proj"]);
        Assert.Equal(1, code);
        Assert.Contains("--sbatch-arg account=proj: expected an sbatch option", err);
        (code, _, err) = Run(["reproduce", .. Smoke, "--results", results, "--columns", "Concat", "--executor", "slurm", "--dry-run", "--time", "1 day"]);
        Assert.Equal(1, code);
        Assert.Contains("--time '1 day': expected one word", err);
        (code, _, err) = Run(["reproduce", .. Smoke, "--results", results, "--columns", "Concat", "--executor", "slurm", "--dry-run", "--threads", "2"]);
        Assert.Equal(1, code);
        Assert.Contains("--threads applies to local runs", err);
        Assert.False(Directory.Exists(Path.Combine(results, "jobs")), "a refused command wrote a submission");
        Assert.False(Directory.Exists(Path.Combine(results, "runs")), "a refused command trained");
    }

    [Fact]
    public void TheScriptsTaskTrainsItsRunIntoTheStore()
    {
        var results = TestPaths.TempDir("results");
        var (code, _, err) = Run(["reproduce", .. Smoke, "--results", results, "--columns", "Concat,Late Fusion", "--executor", "slurm", "--dry-run"]);
        Assert.True(code == 0, err);
        var folder = Directory.GetDirectories(Submission.TableFolder(new ResultsStore(results), "mla-table1-cremad-smoke-validation")).Single();
        var psi = new System.Diagnostics.ProcessStartInfo("bash", [Path.Combine(folder, Submission.ScriptName)]) { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.Environment["SLURM_ARRAY_JOB_ID"] = "99";
        psi.Environment["SLURM_ARRAY_TASK_ID"] = "1";   // as Slurm starts task 1
        psi.Environment["SLURM_CPUS_PER_TASK"] = "1";
        using var task = System.Diagnostics.Process.Start(psi)!;
        var output = task.StandardOutput.ReadToEndAsync();
        var error = task.StandardError.ReadToEnd();
        task.WaitForExit();
        Assert.True(task.ExitCode == 0, output.Result + error);
        var store = new ResultsStore(results);
        var plan = Plan("Concat", "Late Fusion");
        Assert.Equal([RunState.Pending, RunState.Finished], plan.Select(s => RunStatus.Of(store, s).State));
    }

    [Fact]
    public void StatusShowsFinishedRunningFailedAndPendingRunsWithTheLogsOfFailedOnes()
    {
        var results = TestPaths.TempDir("results");
        var store = new ResultsStore(results);
        var (code, _, err) = Run(["reproduce", .. Smoke, "--results", results, "--columns", "Concat"]);
        Assert.True(code == 0, err);
        var (sum, concat, film, mla, qmf) = (Plan("Sum").Single(), Plan("Concat").Single(), Plan("FiLM").Single(), Plan("MLA").Single(), Plan("QMF").Single());

        var log = Environment.GetEnvironmentVariable(TrainTask.LogVariable);
        try
        {
            Environment.SetEnvironmentVariable(TrainTask.LogVariable, "/logs/film.log");
            using (var failing = RunClaim.Acquire(store, film)) failing.Fail("boom: the data ran out");
            Environment.SetEnvironmentVariable(TrainTask.LogVariable, "/logs/sum.log");
            using var running = RunClaim.Acquire(store, sum);
            // QMF's process died holding its claim (a pid of this machine that has ended) without saying why
            using var dead = System.Diagnostics.Process.Start("true")!;
            dead.WaitForExit();
            var claim = RunClaim.Folder(store, qmf);
            Directory.CreateDirectory(claim);
            File.WriteAllText(Path.Combine(claim, "0.json"), JsonSerializer.Serialize(
                new FileLease.Holder(Environment.MachineName, dead.Id, 0, "2026-01-01 00:00:00Z", "41_4", "/logs/41_4.log", "x"), Json.Options));

            string output;
            (code, output, err) = Run(["status", .. Smoke, "--results", results, "--columns", "Sum,Concat,FiLM,MLA,QMF"]);
            Assert.True(code == 0, err);
            var lines = output.Split('\n').Select(l => l.TrimEnd()).ToList();
            Assert.Contains("mla-table1 on cremad (smoke profile, validation), " + results + ": 5 runs: 1 finished, 1 running, 2 failed, 1 pending", lines[0]);
            string After(string label) => lines[lines.FindIndex(l => l.TrimStart().StartsWith(label + " ")) + 1].Trim();
            Assert.Matches($@"^\s*Sum\s+running\s+{Regex.Escape(sum.Key)}: on {Regex.Escape(Environment.MachineName)} pid {Environment.ProcessId}, since ", Line(lines, "Sum"));
            Assert.Equal("log /logs/sum.log", After("Sum"));
            Assert.Matches($@"^\s*Concat\s+finished\s+{Regex.Escape(concat.Key)}$", Line(lines, "Concat"));
            Assert.Matches($@"^\s*FiLM\s+failed\s+{Regex.Escape(film.Key)}: boom: the data ran out$", Line(lines, "FiLM"));
            Assert.Equal("log /logs/film.log", After("FiLM"));
            Assert.Matches($@"^\s*MLA\s+pending\s+{Regex.Escape(mla.Key)}$", Line(lines, "MLA"));
            Assert.Matches($@"^\s*QMF\s+failed\s+{Regex.Escape(qmf.Key)}: its process \({Regex.Escape(Environment.MachineName)} pid {dead.Id} \(Slurm job 41_4\), since 2026-01-01 00:00:00Z\) stopped without finishing", Line(lines, "QMF"));
            Assert.Equal("log /logs/41_4.log", After("QMF"));
        }
        finally { Environment.SetEnvironmentVariable(TrainTask.LogVariable, log); }
    }

    static string Line(List<string> lines, string label) => lines.Single(l => l.TrimStart().StartsWith(label + " "));

    /// <summary>
    /// A run's numbers depend on its compute threads (parallel reductions split by them), so both sides train with one
    /// thread per run: what a Slurm task with the default --cpus-per-task gets, and a job of --jobs 2 on two cores.
    /// </summary>
    [Fact]
    public void LocalJobsFillTheSmokeTableWithTheNumbersOfASequentialRun()
    {
        var sequential = TestPaths.TempDir("sequential");
        var (code, _, err) = Run(["reproduce", .. Smoke, "--results", sequential, "--threads", "1"]);
        Assert.True(code == 0, err);
        var parallel = TestPaths.TempDir("jobs2");
        string output;
        (code, output, err) = Run(["reproduce", .. Smoke, "--results", parallel, "--executor", "local", "--jobs", "2", "--threads", "1"]);
        Assert.True(code == 0, output + err);
        var plan = Plan();
        Assert.Contains($"Training {plan.Count} runs, 2 at a time with 1 thread(s) each", output);
        Assert.Equal(plan.Count, Regex.Matches(output, @"\] finished ").Count);
        AssertSameTable(sequential, parallel, plan);
    }

    /// <summary>The same table.csv, and every run's test metrics (at its selected epoch) equal.</summary>
    internal static void AssertSameTable(string expected, string actual, IReadOnlyList<RunSpec> plan)
    {
        static string Table(string root) => File.ReadAllText(Path.Combine(root, "mla-table1", "cremad-smoke-validation", "table.csv"));
        Assert.Equal(Table(expected), Table(actual));
        foreach (var spec in plan)
        {
            var a = new ResultsStore(expected).TryLoad(spec)!;
            var b = new ResultsStore(actual).TryLoad(spec)!;
            Assert.True(a.Test.SequenceEqual(b.Test), $"{spec.Key}: test metrics differ: {string.Join(", ", a.Test)} vs {string.Join(", ", b.Test)}");
            Assert.Equal(a.SelectedEpoch, b.SelectedEpoch);
        }
    }
}
