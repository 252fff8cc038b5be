using Repro.Experiments;
using Repro.Experiments.Executors;
using Repro.Methods;
using Repro.Tests.Cli;
using Repro.Training;

namespace Repro.Tests.Experiments.Executors;

/// <summary>
/// <see cref="RunClaim"/>: threads and processes that share a results store and race for one run train it exactly once;
/// the others wait and reuse it. A run that throws leaves its failure record.
/// </summary>
[Collection(Repro.Tests.Training.TrainingCollection.Name)]
public class RunClaimTests
{
    static RunSpec Spec(string method = "concat") => new()
    {
        Dataset = "cremad", Profile = Profile.Smoke, Method = MethodRegistry.Resolve(method), Seed = 2,
    };

    [Fact]
    public void ThreadsRacingForOneRunTrainItOnce()
    {
        var store = new ResultsStore(TestPaths.TempDir("results"));
        var start = new Barrier(3);
        var outcomes = new (RunResult Result, bool Reused)[3];
        var threads = Enumerable.Range(0, 3).Select(i => new Thread(() =>
        {
            var runner = new ExperimentRunner(store);
            start.SignalAndWait();
            outcomes[i] = runner.Run(Spec());
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.Single(outcomes, o => !o.Reused);
        Assert.All(outcomes, o => Assert.Equal(outcomes[0].Result.Test, o.Result.Test));
        Assert.All(outcomes, o => Assert.Equal(outcomes[0].Result.StartedUtc, o.Result.StartedUtc));   // the one run, not three equal ones
        Assert.False(Directory.Exists(RunClaim.Folder(store, Spec())), "the claim is released");
    }

    [Fact]
    public void ProcessesRacingForOneRunTrainItOnce()
    {
        var results = TestPaths.TempDir("results");
        var store = new ResultsStore(results);
        var spec = Spec();
        var specFile = Path.Combine(results, "spec.json");
        RunSpecFile.Write(specFile, spec);
        var args = new[] { "train", "--spec", specFile, "--results", results, "--threads", "1" };
        CliProcess a, b;
        // both processes start while this one holds the run, so both are waiting when it lets go: then they race
        using (RunClaim.Acquire(store, spec))
        {
            a = new CliProcess(args);
            b = new CliProcess(args);
            foreach (var p in new[] { a, b })
                Assert.True(p.WaitFor("is training this run; waiting for it", TimeSpan.FromSeconds(120)), "a process did not wait for the claim:\n" + p.Output);
        }
        using (a)
        using (b)
        {
            Assert.True(a.Wait(TimeSpan.FromMinutes(5)) == 0, a.Output);
            Assert.True(b.Wait(TimeSpan.FromMinutes(5)) == 0, b.Output);
            var said = new[] { a.Output, b.Output };
            Assert.Single(said, o => o.Contains(": trained "));
            Assert.Single(said, o => o.Contains(": reused finished run "));
        }
        Assert.NotNull(store.TryLoad(spec));
        Assert.Equal(RunState.Finished, RunStatus.Of(store, spec).State);
        Assert.False(Directory.Exists(RunClaim.Folder(store, spec)));
    }

    [Fact]
    public void AProcessStoppedBySigtermLeavesItsReasonAndReleasesTheClaim()
    {
        var results = TestPaths.TempDir("results");
        var store = new ResultsStore(results);
        var spec = Spec() with { Profile = Profile.Embedded };   // long enough to be stopped while it trains
        var log = Path.Combine(results, "task.log");
        using var task = new CliProcess(["train", "--method", "concat", "--seed", "2", "--profile", "embedded", "--results", results, "--threads", "1"],
            new Dictionary<string, string> { [TrainTask.LogVariable] = log });
        Assert.True(task.WaitFor("epoch 1", TimeSpan.FromMinutes(5)), task.Output);   // "epoch 1/25" or, when the progress line is throttled, "epoch 1 loss"
        Assert.Equal(RunState.Running, RunStatus.Of(store, spec).State);
        using (var kill = System.Diagnostics.Process.Start("kill", ["-TERM", task.Id.ToString()])!) kill.WaitForExit();
        Assert.Equal(143, task.Wait(TimeSpan.FromMinutes(1)));   // ended by the signal, as before
        var status = RunStatus.Of(store, spec);
        Assert.Equal(RunState.Failed, status.State);
        Assert.StartsWith("the process was stopped by SIGTERM before the run finished", status.Detail);
        Assert.Equal(log, status.Log);
        Assert.False(Directory.Exists(RunClaim.Folder(store, spec)), "the claim is released");
    }

    [Fact]
    public void ARunThatThrowsLeavesItsReasonAndTheNextAttemptClearsIt()
    {
        var store = new ResultsStore(TestPaths.TempDir("results"));
        var spec = Spec() with { DataRoot = Path.Combine(store.Root, "no-such-data") };
        Assert.ThrowsAny<Exception>(() => new ExperimentRunner(store).Run(spec));
        var status = RunStatus.Of(store, spec);
        Assert.Equal(RunState.Failed, status.State);
        Assert.Contains("no-such-data", status.Detail);
        Assert.Equal(RunClaim.LastFailure(store, spec)!.Reason, status.Detail);
        using (RunClaim.Acquire(store, spec)) Assert.Null(RunClaim.LastFailure(store, spec));
    }
}
