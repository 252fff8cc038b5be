using Repro.Data;
using Repro.Experiments;
using Repro.Methods;
using Repro.Models.Transformers;
using Repro.Native;
using static TorchSharp.torch;
using Repro.Methods.U2a;

namespace Repro.Tests.Experiments;

/// <summary>The embedded demo's pretrained encoders: trained on their own draw, above chance, in the published layout, loaded bit for bit.</summary>
[Collection(Repro.Tests.Training.TrainingCollection.Name)]
public class StandInEncodersTests
{
    static readonly U2aEncoderSize Size = new() { Hidden = 16, Layers = 1, Heads = 2 };

    [Fact]
    public void ThePretrainedTextEncoderBeatsChanceOnItsSplitAndRoundTripsBitForBitThroughTheLoader()
    {
        using var scope = NewDisposeScope();
        var store = new ResultsStore(TestPaths.TempDir("results"));
        var runner = new ExperimentRunner(store);
        var path = StandInEncoders.Ensure(runner, "food101:map:missing=both/0.7", Profile.Smoke, Modalities.Text, Size);

        var spec = StandInEncoders.PretrainingRun("food101:map:missing=both/0.7", Profile.Smoke, Modalities.Text, Size);
        Assert.Equal("food101:map:standin-seed=1", spec.Dataset);   // complete data, the separate draw
        var run = store.TryLoad(spec) ?? throw new InvalidOperationException("the pretraining run was not stored");
        int classes = runner.Dataset(spec.Dataset, null, Profile.Smoke).Info.NumClasses;
        double chance = 100.0 / classes;
        Assert.True(run.Test["acc"] > 2 * chance, $"pretrained text encoder: {run.Test["acc"]:F1}% on its test split, chance {chance:F1}%");

        Assert.All(Safetensors.ReadHeader(path).Names, n => Assert.StartsWith("bert.", n));
        var info = runner.Dataset(spec.Dataset, null, Profile.Smoke).Info;
        var fresh = (BertModel)U2aModels.Backbone(info.Modality(Modalities.Text), Size);
        var report = WeightLoader.Load(fresh, path, PublishedCheckpoints.Bert);
        Assert.True(report.IsComplete, report.Describe());
        var trained = Safetensors.Load(new Repro.Training.Checkpoints(store.CheckpointDirectory(spec)).BestModelPath);
        var loaded = fresh.state_dict();
        Assert.Equal(loaded.Count, report.Loaded.Count);
        foreach (var (name, t) in loaded)
            Assert.True(t.bytes.SequenceEqual(trained["text_net.backbone." + name].bytes), $"{name} differs from the trained encoder after export and load");

        Assert.Equal(path, StandInEncoders.Ensure(runner, "food101:map", Profile.Smoke, Modalities.Text, Size));   // reused, not retrained
        Assert.Throws<IOException>(() => StandInEncoders.Export(new Repro.Training.Checkpoints(store.CheckpointDirectory(spec)).BestModelPath, "text_net.backbone.", "bert.", path));
    }

    [Fact]
    public void AMultiLabelStandInIsPretrainedOnTheMultiLabelSchedule()
    {
        var store = new ResultsStore(TestPaths.TempDir("results"));
        var runner = new ExperimentRunner(store);
        StandInEncoders.Ensure(runner, "mmimdb:missing=text/0.7", Profile.Smoke, Modalities.Text, Size);
        var multiLabel = StandInEncoders.PretrainingRun("mmimdb", Profile.Smoke, Modalities.Text, Size, multiLabel: true);
        Assert.Equal(U2aPretrain.MultiLabelLr, ((U2aPretrainOptions)multiLabel.Method.Options).Lr);
        Assert.NotNull(store.TryLoad(multiLabel));
        Assert.Null(store.TryLoad(StandInEncoders.PretrainingRun("mmimdb", Profile.Smoke, Modalities.Text, Size)));
    }

    [Fact]
    public void U2aGivesTheSameNumbersWhetherItsEncodersWerePretrainedNowOrReused()
    {
        var options = new U2aOptions { Hidden = Size.Hidden, Layers = Size.Layers, Heads = Size.Heads, ImagePatch = Size.ImagePatch, AudioPatch = Size.AudioPatch, AudioStride = Size.AudioStride, Vocab = Size.Vocabulary };
        Assert.Equal(Size, options.EncoderSize);
        var spec = new RunSpec { Dataset = "food101", Profile = Profile.Smoke, Method = MethodRegistry.Spec(options), Seed = 3 };

        var fresh = new ExperimentRunner(new ResultsStore(TestPaths.TempDir("results"))).Run(spec).Result;   // pretrains inside
        var store = new ResultsStore(TestPaths.TempDir("results"));
        var primed = new ExperimentRunner(store);
        foreach (var m in new[] { Modalities.Image, Modalities.Text }) StandInEncoders.Ensure(primed, "food101", Profile.Smoke, m, Size);
        var reused = primed.Run(spec).Result;
        Assert.Equal(fresh.History.Select(h => h.TrainLosses["loss"]), reused.History.Select(h => h.TrainLosses["loss"]));
        Assert.Equal(fresh.Test, reused.Test);
    }
}
