using Repro.Experiments;
using Repro.Methods;
using static TorchSharp.torch;
using Repro.Methods.Mmin;

namespace Repro.Tests.Methods;

[Collection(Repro.Tests.Training.TrainingCollection.Name)]
public class IfMminTests
{
    [Fact]
    public void CmdMatchesAHandComputation()
    {
        using var scope = NewDisposeScope();
        // x1 rows (0, 1), (2, 3): mean (1, 2), centred rows -(1, 1), +(1, 1); x2 rows (1, 0) twice: mean (1, 0), centred 0.
        // |mean diff| = 2; even central moments of x1 are (1, 1) -> sqrt 2 each (k = 2, 4); odd ones are 0 (k = 3, 5)
        var x1 = tensor(new double[] { 0, 1, 2, 3 }, [2, 2]);
        var x2 = tensor(new double[] { 1, 0, 1, 0 }, [2, 2]);
        Assert.Equal(2 + 2 * Math.Sqrt(2), IfMmin.Cmd(x1, x2, 5).item<double>(), 12);
        Assert.Equal(2 + Math.Sqrt(2), IfMmin.Cmd(x1, x2, 3).item<double>(), 12);
        Assert.Equal(2, IfMmin.Cmd(x1, x2, 1).item<double>(), 12);
        Assert.Equal(IfMmin.Cmd(x1, x2, 5).item<double>(), IfMmin.Cmd(x2, x1, 5).item<double>(), 12);
        // three modalities, the third equal to the second: pairs (1,2), (1,3) give the CMD above, (2,3) zero; the mean is 2/3 of it
        Assert.Equal(2.0 / 3 * (2 + 2 * Math.Sqrt(2)), IfMmin.PairwiseCmd([x1, x2, x2.clone()]).item<double>(), 12);
    }

    static IfMmin Build()
    {
        var m = (IfMmin)MethodTestKit.Create("if-mmin", MissingBaselineKit.Parts(), 4, ("n_blocks", 2), ("ae_layers", "8,4"));
        Assert.Equal(["teacher", "student"], m.Stages(2).Select(s => s.Name));
        return m;
    }

    [Fact]
    public void TheStudentStartsFromAFrozenCopyOfTheTeacherIncludingItsInvariantNetwork()
    {
        using var scope = NewDisposeScope();
        var ifmmin = Build();
        ifmmin.EnterStage(ifmmin.Stages(2)[0], null!);
        var teacherStage = ifmmin.TrainableParameters().ToArray();
        Assert.Contains(ifmmin.Head.named_parameters(), p => p.name.StartsWith("shared.") && teacherStage.Any(t => t.Handle == p.parameter.Handle));
        ifmmin.EnterStage(ifmmin.Stages(2)[1], null!);
        var frozen = ifmmin.Head.named_parameters().Where(p => p.name.StartsWith("teacher") || p.name.StartsWith("shared_teacher")).Select(p => p.parameter).ToArray();
        Assert.Equal(18 + 4, frozen.Length); // 3 encoders x 3 linears x (w, b) + the invariant network's 2 linears x (w, b)
        Assert.All(frozen, p => Assert.False(p.requires_grad));
        Assert.DoesNotContain(ifmmin.TrainableParameters(), p => frozen.Any(f => f.Handle == p.Handle));

        // right after the copy, on a batch with every modality, the student's invariant features ARE the teacher's:
        // the invariant loss is 0; on a masked batch the zeroed inputs make them differ
        var all = new bool[6, 3];
        for (int i = 0; i < 6; i++) for (int v = 0; v < 3; v++) all[i, v] = true;
        var step = ifmmin.TrainStep(MissingBaselineKit.MaskedBatch(available: all), MethodTestKit.FrozenContext(ifmmin));
        Assert.Equal(0, step.Losses["invariant"], 12);
        step = ifmmin.TrainStep(MissingBaselineKit.MaskedBatch(), MethodTestKit.FrozenContext(ifmmin));
        Assert.True(step.Losses["invariant"] > 1e-6);
    }

    [Fact]
    public void BothStagesRunInOneTrainerLoop()
    {
        var (r, recounted) = MissingBaselineKit.SmokeRunRecounted("if-mmin");
        Assert.Equal(["teacher", "teacher", "student", "student"], r.History.Select(h => h.Stage));
        Assert.Equal("student", r.History[r.SelectedEpoch].Stage);
        Assert.Contains("cmd", r.History[0].TrainLosses.Keys);
        Assert.Contains("invariant", r.History[^1].TrainLosses.Keys);
        Assert.Equal(r.History[r.SelectedEpoch].Test!["acc"], r.Test["acc"], 12);
        Assert.Equal(recounted, r.Test["acc"], 9);   // the selected student is what the run scored
    }
}
