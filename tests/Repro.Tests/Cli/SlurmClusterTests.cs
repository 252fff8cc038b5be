using System.Diagnostics;
using System.Text.RegularExpressions;
using Repro.Experiments;
using Repro.Experiments.Tables;
using static Repro.Tests.Cli.CliHarness;

namespace Repro.Tests.Cli;

/// <summary>
/// `repro reproduce --executor slurm --wait` against a real one-node Slurm cluster (tests/tools/slurm/start-cluster.sh,
/// which installs Debian's Slurm and munge as root when missing): every run of the smoke table finishes once, and the
/// table equals the sequential one at the tasks' one compute thread. Where Slurm cannot be installed the test is skipped, and fails under CI=true.
/// </summary>
[Collection("Console")]
public class SlurmClusterTests
{
    static readonly string[] Smoke = ["mla-table1", "--dataset", "cremad", "--profile", "smoke"];

    [SkippableFact]
    public void ASlurmArrayFillsTheSmokeTableWithEveryRunTrainedOnce()
    {
        var cluster = TestPaths.TempDir("slurm");
        var script = Path.Combine(TestPaths.RepoRoot, "tests", "tools", "slurm", "start-cluster.sh");
        var (code, output) = Bash(script, cluster);
        Requires.InstallableTool(code != 3, $"needs a Slurm cluster: {output.Trim()}");
        var conf = Regex.Match(output, @"^SLURM_CONF=(.+)$", RegexOptions.Multiline);
        Assert.True(code == 0 && conf.Success, $"start-cluster.sh {cluster} failed (exit {code}):\n{output}");
        var saved = (Conf: Environment.GetEnvironmentVariable("SLURM_CONF"), Poll: Environment.GetEnvironmentVariable("REPRO_SLURM_POLL_SECONDS"));
        try
        {
            Environment.SetEnvironmentVariable("SLURM_CONF", conf.Groups[1].Value.Trim());
            Environment.SetEnvironmentVariable("REPRO_SLURM_POLL_SECONDS", "1");
            var results = TestPaths.TempDir("slurm-results");
            string err;
            (code, output, err) = Run(["reproduce", .. Smoke, "--results", results, "--executor", "slurm", "--wait"]);
            Assert.True(code == 0, output + err + Logs(cluster));
            var plan = TableRunner.Plan(PaperTables.Get("mla-table1"), "cremad", null, Profile.Smoke).Runs.Select(r => r.Spec).ToList();
            var job = Regex.Match(output, @"Submitted Slurm job (\d+): (\d+) tasks");
            Assert.True(job.Success, output);
            Assert.Equal(plan.Count, int.Parse(job.Groups[2].Value));

            // every run trained exactly once, each by its own task, and nothing waited for or reused another task's run
            var folder = Directory.GetDirectories(Path.Combine(results, "jobs", "mla-table1-cremad-smoke-validation")).Single();
            var logs = Enumerable.Range(0, plan.Count).Select(i => File.ReadAllText(Path.Combine(folder, "logs", $"{job.Groups[1].Value}_{i}.log"))).ToList();
            for (int i = 0; i < plan.Count; i++)
            {
                Assert.Single(Regex.Matches(logs[i], ": trained "));
                Assert.Contains(new ResultsStore(results).RunDirectory(plan[i]), logs[i]);
            }
            Assert.DoesNotContain(logs, l => l.Contains("reused finished run") || l.Contains("waiting for it"));

            // the same command again trains nothing: it prints the table from the store
            var stamps = plan.Select(s => File.GetLastWriteTimeUtc(Path.Combine(new ResultsStore(results).RunDirectory(s), "run.json"))).ToList();
            (code, output, err) = Run(["reproduce", .. Smoke, "--results", results, "--executor", "slurm", "--wait"]);
            Assert.True(code == 0, err);
            Assert.Contains($"All {plan.Count} runs are finished", output);
            Assert.Equal(stamps, plan.Select(s => File.GetLastWriteTimeUtc(Path.Combine(new ResultsStore(results).RunDirectory(s), "run.json"))));

            var sequential = TestPaths.TempDir("sequential");
            (code, _, err) = Run(["reproduce", .. Smoke, "--results", sequential, "--threads", "1"]);   // as each task (--cpus-per-task 1)
            Assert.True(code == 0, err);
            ExecutorCliTests.AssertSameTable(sequential, results, plan);
        }
        finally
        {
            Environment.SetEnvironmentVariable("SLURM_CONF", saved.Conf);
            Environment.SetEnvironmentVariable("REPRO_SLURM_POLL_SECONDS", saved.Poll);
            Bash(Path.Combine(TestPaths.RepoRoot, "tests", "tools", "slurm", "stop-cluster.sh"), cluster);
        }
    }

    static (int Code, string Output) Bash(string script, string arg)
    {
        var psi = new ProcessStartInfo("bash", [script, arg]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, err.Result + output);
    }

    static string Logs(string cluster) =>
        string.Concat(Directory.GetFiles(Path.Combine(cluster, "log")).Select(f => $"\n--- {f}\n{string.Join("\n", File.ReadLines(f).TakeLast(20))}"));
}
