using Repro.Data;
using Repro.Methods;
using static TorchSharp.torch;
using Repro.Methods.Ae;
using Repro.Training;

namespace Repro.Tests.Methods;

[Collection(Repro.Tests.Training.TrainingCollection.Name)]
public class AeTests
{
    [Fact]
    public void TheReconstructionLossCountsOnlyMissingModalitiesPerFeature()
    {
        using var scope = NewDisposeScope();
        var batch = MissingBaselineKit.MaskedBatch(b: 4);
        var truth = batch.Complete!;
        var recon = truth.ToDictionary(kv => kv.Key, kv => kv.Value + 1); // error 1 everywhere
        // rows 0 and 2 each lack one modality (audio, text): (1 * 5)/5 + (1 * 7)/7 = 2
        Assert.Equal(2.0, Ae.ReconstructionLoss(recon, truth, batch).item<float>(), 5);
        var onlyPresent = truth.ToDictionary(kv => kv.Key, kv => kv.Value + batch.Available[kv.Key].to_type(ScalarType.Float32).unsqueeze(1) * 3);
        Assert.Equal(0.0, Ae.ReconstructionLoss(onlyPresent, truth, batch).item<float>(), 6);
    }

    [Theory]
    [InlineData("ae")]
    [InlineData("cra")]
    public void AStepLowersTheLossOnAFixedBatch(string name)
    {
        var method = MethodTestKit.Create(name, MissingBaselineKit.Parts(), 5);
        var batch = MissingBaselineKit.MaskedBatch(b: 12);
        var opt = optim.Adam(method.TrainableParameters(), 0.01);
        double first = 0, last = 0;
        for (int s = 0; s < 30; s++)
        {
            using var scope = NewDisposeScope();
            var ctx = new StepContext { Optimizer = opt, Model = method.Model, Epoch = 0, BatchIndex = s, BatchesPerEpoch = 1, GlobalStep = s };
            var loss = method.TrainStep(batch, ctx).Losses["loss"];
            if (s == 0) first = loss;
            last = loss;
        }
        Assert.True(last < first, $"{name}: loss {first} -> {last}");
        method.Model.eval();
        using (no_grad()) Assert.Equal([12L, 3L], method.Predict(batch).Fused.shape);
        Assert.Throws<InvalidOperationException>(() =>
        {
            var noTruth = new Batch { Inputs = batch.Inputs, Available = batch.Available, Labels = batch.Labels, Index = batch.Index, Ids = batch.Ids };
            method.TrainStep(noTruth, new StepContext { Optimizer = opt, Model = method.Model, Epoch = 0, BatchIndex = 0, BatchesPerEpoch = 1, GlobalStep = 0 });
        });
    }
}
