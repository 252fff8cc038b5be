using Repro.Data;
using Repro.Experiments;
using Repro.Methods;
using static TorchSharp.torch;
using Repro.Methods.Mmin;
using Repro.Training;

namespace Repro.Tests.Methods;

[Collection(Repro.Tests.Training.TrainingCollection.Name)]
public class MminTests
{
    static Mmin Student()
    {
        var mmin = (Mmin)MethodTestKit.Create("mmin", MissingBaselineKit.Parts(), 4, ("n_blocks", 2), ("ae_layers", "8,4"));
        var stages = mmin.Stages(3);
        Assert.Equal(["teacher", "student"], stages.Select(s => s.Name));
        Assert.False(stages[0].Selectable);
        mmin.EnterStage(stages[1], null!);
        return mmin;
    }

    [Fact]
    public void TheTeacherTargetContainsOnlyTheMissingModalities()
    {
        using var scope = NewDisposeScope();
        var mmin = Student();
        var batch = MissingBaselineKit.MaskedBatch();
        var target = mmin.TeacherTarget(batch);
        Assert.Equal([6L, 24L], target.shape);

        // changing a PRESENT modality's true features leaves the target as it was; changing a MISSING one changes it
        var complete = batch.Complete!.ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        int row = 0, missingCol = 0, presentCol = 1; // row 0 lacks audio, has visual
        Assert.False(batch.Available["audio"][row].item<bool>());
        Assert.True(batch.Available["visual"][row].item<bool>());
        complete["visual"][row].add_(5);
        var samePresent = mmin.TeacherTarget(MissingBaselineKit.MaskedBatch(complete: complete));
        Assert.True(samePresent.allclose(target), "a present modality leaked into the imagination target");
        complete["audio"][row].add_(5);
        var changed = mmin.TeacherTarget(MissingBaselineKit.MaskedBatch(complete: complete));
        var diff = (changed - target).abs().sum(1);
        Assert.True(diff[row].item<float>() > 1e-4, "the missing modality's truth does not reach the target");
        Assert.Equal(0, diff.narrow(0, 1, 5).sum().item<float>());

        // slot by slot: the missing modality's slot is the frozen teacher on its truth, a present slot the teacher on zeros
        var enc = mmin.Model.Encoder("audio");
        enc.eval();
        using (no_grad())
        {
            var audioSlot = target[row].narrow(0, missingCol * 8, 8);
            MethodTestKit.AssertClose(enc.call(batch.Complete!["audio"][row].unsqueeze(0))[0], audioSlot, 1e-6, "audio slot");
            var visualSlot = target[row].narrow(0, presentCol * 8, 8);
            MethodTestKit.AssertClose(mmin.Model.Encoder("visual").call(zeros(1, 6))[0], visualSlot, 1e-6, "visual slot");
        }
    }

    [Fact]
    public void TheTeacherIsFrozenAndTheStudentTrainsEverythingElse()
    {
        var mmin = Student();
        var teacher = mmin.Head.named_parameters().Where(p => p.name.StartsWith("teacher")).Select(p => p.parameter).ToArray();
        Assert.NotEmpty(teacher);
        Assert.All(teacher, p => Assert.False(p.requires_grad));
        Assert.DoesNotContain(mmin.TrainableParameters(), p => teacher.Any(t => ReferenceEquals(t, p) || t.Handle == p.Handle));
        var before = teacher.Select(p => p.detach().clone()).ToArray();
        var ctx = new StepContext { Optimizer = optim.Adam(mmin.TrainableParameters(), 0.01), Model = mmin.Model, Epoch = 0, BatchIndex = 0, BatchesPerEpoch = 1, GlobalStep = 0 };
        var step = mmin.TrainStep(MissingBaselineKit.MaskedBatch(), ctx);
        Assert.True(double.IsFinite(step.Losses["cycle"]) && step.Losses["mse"] > 0);
        for (int i = 0; i < teacher.Length; i++) Assert.True(teacher[i].equal(before[i]).all().item<bool>());
    }

    [Fact]
    public void BothStagesRunInOneTrainerLoopAndOnlyTheStudentIsSelected()
    {
        var r = MissingBaselineKit.SmokeRun("mmin");
        Assert.Equal(["teacher", "teacher", "student", "student"], r.History.Select(h => h.Stage));
        Assert.True(r.SelectedEpoch >= 2);
        Assert.Contains("cycle", r.History[^1].TrainLosses.Keys);
        Assert.DoesNotContain("cycle", r.History[0].TrainLosses.Keys);
    }
}
