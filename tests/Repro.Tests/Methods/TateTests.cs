using Repro.Experiments;
using Repro.Methods;
using static TorchSharp.torch;
using Repro.Methods.Tate;

namespace Repro.Tests.Methods;

[Collection(Repro.Tests.Training.TrainingCollection.Name)]
public class TateTests
{
    [Fact]
    public void TheSymmetricKlMatchesAHandComputation()
    {
        using var scope = NewDisposeScope();
        // p = softmax(0, 0) = (.5, .5), q = softmax(ln 3, 0) = (.75, .25):
        // KL(p||q) = .5 ln(2/3) + .5 ln 2 = .5 ln(4/3); KL(q||p) = .75 ln 1.5 + .25 ln .5; sum 0.2746530721670274
        var a = tensor(new double[] { 0, 0 }, [1, 1, 2]);
        var b = tensor(new double[] { Math.Log(3), 0 }, [1, 1, 2]);
        Assert.Equal(0.2746530721670274, Tate.SymmetricKl(a, b).item<double>(), 12);
        Assert.Equal(0.2746530721670274, Tate.SymmetricKl(b, a).item<double>(), 12);
        // a second token where both agree halves it (mean over tokens); a second sample doubles it (sum over the batch)
        Assert.Equal(0.2746530721670274 / 2, Tate.SymmetricKl(cat([a, a], 1), cat([b, a], 1)).item<double>(), 12);
        Assert.Equal(2 * 0.2746530721670274, Tate.SymmetricKl(cat([a, a], 0), cat([b, b], 0)).item<double>(), 12);
    }

    [Fact]
    public void TagsMarkTheMissingModalitiesAndTheTagLossIsTheirMeanAbsoluteError()
    {
        using var scope = NewDisposeScope();
        var available = new Dictionary<string, Tensor>
        {
            ["audio"] = tensor(new[] { true, false, false }),
            ["visual"] = tensor(new[] { true, true, true }),
            ["text"] = tensor(new[] { true, true, false }),
        };
        string[] order = ["audio", "visual", "text"];
        var tags = Tate.Tags(available, order, constant: false);
        Assert.Equal(new float[] { 1, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1 }, tags.data<float>().ToArray());
        Assert.Equal(new float[] { 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1 }, Tate.Tags(available, order, constant: true).data<float>().ToArray());
        // sigmoid(0) = .5 whatever the tag; sigmoid(100) ~ 1 against (1, 0, 0, 0) gives (0 + 1 + 1 + 1)/4
        var pooled = zeros(3, 10);
        Assert.Equal(0.5, Tate.TagLoss(tags, pooled).item<float>(), 6);
        var sure = cat([zeros(1, 6), full(1, 4, 100f)], 1);
        Assert.Equal(0.75, Tate.TagLoss(tags.narrow(0, 0, 1), sure).item<float>(), 6);
    }

    [Fact]
    public void SigmoidAttentionPoolingMatchesAHandComputation()
    {
        using var scope = NewDisposeScope();
        // X = I (two tokens), Wm = 0 (gate .5), Wu = I, Wr = (2, 0)': scores (1, 0), weights (e, 1)/(1 + e), pooled = the weights
        var x = eye(2, dtype: ScalarType.Float64).unsqueeze(0);
        var pooled = Tate.Pool(x, tensor(new double[] { 2, 0 }, [2, 1]), zeros(2, 2, dtype: ScalarType.Float64), eye(2, dtype: ScalarType.Float64));
        Assert.Equal(0.7310585786300049, pooled[0, 0].item<double>(), 12);
        Assert.Equal(1 - 0.7310585786300049, pooled[0, 1].item<double>(), 12);
        // Wr = 0: the plain mean of the tokens
        var mean = Tate.Pool(x, zeros(2, 1, dtype: ScalarType.Float64), zeros(2, 2, dtype: ScalarType.Float64), eye(2, dtype: ScalarType.Float64));
        Assert.Equal(new double[] { 0.5, 0.5 }, mean.data<double>().ToArray());
    }

    static Tate Student(string teacherInput)
    {
        var tate = (Tate)MethodTestKit.Create("tate", MissingBaselineKit.Parts(), 3, ("att_dim", 8), ("heads", 2), ("teacher_input", teacherInput));
        var stages = tate.Stages(2);
        Assert.Equal(["teacher", "student"], stages.Select(s => s.Name));
        tate.EnterStage(stages[0], null!);
        tate.EnterStage(stages[1], null!);
        tate.Model.eval(); // no attention dropout: student and teacher compute the same function right after the copy
        return tate;
    }

    [Fact]
    public void TheKlTargetIsTheFrozenTeacherOnTheCompleteUtteranceOrOnTheMaskedOneUnderTeacherInputMasked()
    {
        using var scope = NewDisposeScope();
        var masked = MissingBaselineKit.MaskedBatch();
        var all = new bool[6, 3];
        for (int i = 0; i < 6; i++) for (int v = 0; v < 3; v++) all[i, v] = true;
        var complete = MissingBaselineKit.MaskedBatch(available: all);

        var tate = Student("complete");
        Assert.All(tate.Head.named_parameters().Where(p => p.name.Contains("teacher")), p => Assert.False(p.parameter.requires_grad));
        Assert.Equal(0, tate.TrainStep(complete, MethodTestKit.FrozenContext(tate)).Losses["kl"], 9);
        Assert.True(tate.TrainStep(masked, MethodTestKit.FrozenContext(tate)).Losses["kl"] > 1e-6);

        var released = Student("masked");
        Assert.Equal(0, released.TrainStep(masked, MethodTestKit.FrozenContext(released)).Losses["kl"], 9);
    }

    [Fact]
    public void BothStagesRunInOneTrainerLoopAndOnlyTheStudentDistils()
    {
        var (r, recounted) = MissingBaselineKit.SmokeRunRecounted("tate", ("att_dim", "32"));
        Assert.Equal(recounted, r.Test["acc"], 9);   // the selected student is what the run scored
        Assert.Equal(["teacher", "teacher", "student", "student"], r.History.Select(h => h.Stage));
        Assert.DoesNotContain("kl", r.History[0].TrainLosses.Keys);
        Assert.Contains("kl", r.History[^1].TrainLosses.Keys);
        Assert.Equal("student", r.History[r.SelectedEpoch].Stage);
        Assert.Equal(r.History[r.SelectedEpoch].Test!["acc"], r.Test["acc"], 12);
    }
}
