using Repro.Data;
using Repro.Methods;
using Repro.Models;
using Repro.Models.Encoders;
using Repro.Tests.Data.CremaD;
using Repro.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Tests.Training;

[Collection(Repro.Tests.Training.TrainingCollection.Name)]
public class TrainerTests(StandInFixture standIn) : IClassFixture<StandInFixture>
{
    static readonly TrainConfig Config = new() { Epochs = 3, BatchSize = 12, Lr = LrSchedule.Step(0.05, 2, 0.5), Seed = 3, Selection = Selection.Validation };

    Method NewMethod(string name = "concat")
    {
        manual_seed(11);
        var parts = new ModelParts(["audio", "visual"], m => m == "audio" ? new ResNet18(1, false, 4) : new ResNet18(3, true, 4), 6);
        var method = MethodRegistry.Create(MethodRegistry.Resolve(name), parts);
        WeightInit.Apply(method.Model);
        return method;
    }

    (DataLoader Train, DataLoader Val, DataLoader Test) Loaders()
    {
        var (train, val) = Subset.CarveValidation(standIn.Open("train"), 0.25, 1);
        return (new DataLoader(train, Config.BatchSize, true, SampleMode.Train, 9), new DataLoader(val, 12, false, SampleMode.Eval, 0),
            new DataLoader(standIn.Open("test"), 12, false, SampleMode.Eval, 0));
    }

    [Fact]
    public void AResumedRunEndsWhereAnUninterruptedRunEnds()
    {
        var (train, val, test) = Loaders();
        var whole = NewMethod();
        var full = new Trainer { Config = Config, Checkpoints = new Checkpoints(TestPaths.TempDir("ckpt")) }.Fit(whole, train, val, test);

        var dir = TestPaths.TempDir("ckpt");
        var first = NewMethod();
        var partial = new Trainer { Config = Config, Checkpoints = new Checkpoints(dir), StopAfterEpochs = 1 }.Fit(first, train, val, test);
        Assert.Single(partial.History);
        var resumed = NewMethod();
        var rest = new Trainer { Config = Config, Checkpoints = new Checkpoints(dir), Resume = true }.Fit(resumed, train, val, test);

        Assert.Equal(3, rest.History.Count);
        Assert.Equal(full.SelectedEpoch, rest.SelectedEpoch);
        for (int e = 0; e < 3; e++)
        {
            Assert.Equal(full.History[e].TrainLosses["loss"], rest.History[e].TrainLosses["loss"]);
            Assert.Equal(full.History[e].Test!["acc"], rest.History[e].Test!["acc"]);
            Assert.Equal(full.History[e].Validation!["loss"], rest.History[e].Validation!["loss"]);
        }
        var a = whole.Model.state_dict();
        foreach (var (name, t) in resumed.Model.state_dict())
            Assert.True(t.equal(a[name]).all().item<bool>(), $"{name} differs after resume");
    }

    [Fact]
    public void TheSameSeedGivesTheSameNumbers()
    {
        var (train, val, test) = Loaders();
        var cfg = Config with { Epochs = 2 };
        var r1 = new Trainer { Config = cfg }.Fit(NewMethod("late"), train, val, test);
        var r2 = new Trainer { Config = cfg }.Fit(NewMethod("late"), train, val, test);
        Assert.Equal(r1.History.Select(h => h.TrainLosses["loss"]), r2.History.Select(h => h.TrainLosses["loss"]));
        Assert.Equal(r1.History.Select(h => h.Test!["loss"]), r2.History.Select(h => h.Test!["loss"]));
    }

    [Fact]
    public void PrefetchingGivesTheNumbersOfTheSequentialLoader()
    {
        var (train, val, test) = Loaders();
        var cfg = Config with { Epochs = 2 };
        TrainResult Fit(Method method, bool prefetch)
        {
            BatchPrefetcher.Enabled = prefetch;
            try { return new Trainer { Config = cfg }.Fit(method, train, val, test); }
            finally { BatchPrefetcher.Enabled = null; }
        }
        var sequential = NewMethod();
        var r1 = Fit(sequential, prefetch: false);
        var prefetched = NewMethod();
        var r2 = Fit(prefetched, prefetch: true);
        Assert.Equal(r1.History.Select(h => h.TrainLosses["loss"]), r2.History.Select(h => h.TrainLosses["loss"]));
        Assert.Equal(r1.History.Select(h => h.Validation!["loss"]), r2.History.Select(h => h.Validation!["loss"]));
        Assert.Equal(r1.History.Select(h => h.Test!["loss"]), r2.History.Select(h => h.Test!["loss"]));
        var a = sequential.Model.state_dict();
        foreach (var (name, t) in prefetched.Model.state_dict())
            Assert.True(t.equal(a[name]).all().item<bool>(), $"{name} differs with prefetching");
        Assert.All(r1.History, h => Assert.True(h.DataWaitSeconds > 0 && h.DataWaitSeconds < h.Seconds));
    }

    [Fact]
    public void LiveTensorsStayFlatAcrossEpochs()
    {
        var (train, val, test) = Loaders();
        var live = new List<long>();
        new Trainer
        {
            Config = Config with { Epochs = 4 },
            AfterEpoch = (_, _) => { GC.Collect(); GC.WaitForPendingFinalizers(); live.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount); },
        }.Fit(NewMethod(), train, val, test);
        // epoch 1 creates the optimizer's momentum buffers; afterwards nothing may accumulate
        Assert.True(live[3] <= live[1], $"live tensors per epoch: {string.Join(", ", live)}");
    }

    [Fact]
    public void ACheckpointOfAnotherConfigurationIsRefused()
    {
        var (train, val, test) = Loaders();
        var dir = TestPaths.TempDir("ckpt");
        new Trainer { Config = Config, Checkpoints = new Checkpoints(dir), StopAfterEpochs = 1 }.Fit(NewMethod(), train, val, test);
        var e = Assert.Throws<InvalidOperationException>(() =>
            new Trainer { Config = Config with { WeightDecay = 0 }, Checkpoints = new Checkpoints(dir), Resume = true }.Fit(NewMethod(), train, val, test));
        Assert.Contains(dir, e.Message);
    }

    [Fact]
    public void LrSchedulesFollowPyTorch()
    {
        var step = LrSchedule.Step(1e-3, 70, 0.1);
        Assert.Equal(1e-3, step.At(69), 12);
        Assert.Equal(1e-4, step.At(70), 12);
        var multi = LrSchedule.MultiStep(0.002, [70], 0.1);
        Assert.Equal(0.0002, multi.At(70), 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => LrSchedule.Explicit([0.1, 0.2]).At(2));
    }
}
