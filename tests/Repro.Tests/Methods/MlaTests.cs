using Repro.Data;
using Repro.Methods;
using Repro.Models.Encoders;
using Repro.Native;
using Repro.Training;
using TorchSharp;
using static TorchSharp.torch;
using Repro.Methods.Mla;

namespace Repro.Tests.Methods;

/// <summary>MLA: the projector variants on hand-computed cases, the alternation, missing modalities, options and state.</summary>
[Collection(Repro.Tests.Training.TrainingCollection.Name)]
public class MlaTests
{
    public MlaTests() => TorchRuntime.EnsureReady();

    static void Close(double[,] expected, Tensor actual, double tol = 1e-5)
    {
        Assert.Equal(new long[] { expected.GetLength(0), expected.GetLength(1) }, actual.shape);
        var a = actual.to_type(ScalarType.Float64).cpu();
        for (int i = 0; i < expected.GetLength(0); i++)
            for (int j = 0; j < expected.GetLength(1); j++)
                Assert.True(Math.Abs(expected[i, j] - a[i, j].item<double>()) <= tol, $"[{i},{j}]: expected {expected[i, j]}, got {a[i, j].item<double>()}");
    }

    // ---------- the projector ----------

    [Fact]
    public void PaperUpdateIsEquation5WithAScalarDenominator()
    {
        using var scope = NewDisposeScope();
        // P = I, h = (1, 2), alpha = 0.5: h^T P h = 5, q = h / 5.5, P' = I - h h^T / 5.5.
        var p1 = MlaProjector.PaperUpdate(eye(2), tensor(new float[] { 1, 2 }).reshape(1, 2), 0.5);
        Close(new[,] { { 1 - 1 / 5.5, -2 / 5.5 }, { -2 / 5.5, 1 - 4 / 5.5 } }, p1);
        // P = diag(2, 1), h = (1, 1), alpha = 1: P h = (2, 1), h^T P h = 3, q = (0.5, 0.25), h^T P = (2, 1),
        // q h^T P = [[1, 0.5], [0.5, 0.25]].
        var p2 = MlaProjector.PaperUpdate(tensor(new float[] { 2, 0, 0, 1 }).reshape(2, 2), tensor(new float[] { 1, 1 }).reshape(1, 2), 1.0);
        Close(new[,] { { 1.0, -0.5 }, { -0.5, 0.75 } }, p2);
    }

    [Fact]
    public void OfficialUpdateDividesByTheOuterProductElementWiseAndNormalises()
    {
        using var scope = NewDisposeScope();
        // P = I, r = (1, 2), alpha = 0.5: k = (1, 2)^T, k k^T = [[1,2],[2,4]], alpha + k r = [[1.5,2.5],[2.5,4.5]];
        // P - kk^T / (alpha + k r) = [[1/3, -0.8], [-0.8, 1/9]], Frobenius norm sqrt(1/9 + 0.64 + 0.64 + 1/81).
        var p = MlaProjector.OfficialUpdate(eye(2), tensor(new float[] { 1, 2 }).reshape(1, 2), 0.5);
        double n = Math.Sqrt(1.0 / 9 + 0.64 + 0.64 + 1.0 / 81);
        Close(new[,] { { 1.0 / 3 / n, -0.8 / n }, { -0.8 / n, 1.0 / 9 / n } }, p);
        Assert.Equal(1.0, p.norm().item<float>(), 5);
    }

    [Fact]
    public void GradientModificationReplacesOrAddsTheProjection()
    {
        using var scope = NewDisposeScope();
        var p = tensor(new float[] { 0.25f, -0.5f, -0.5f, 0.75f }).reshape(2, 2);
        var g = tensor(new float[] { 1, 0, 0, 1, 1, 1 }).reshape(3, 2);
        // G P^T row by row: (1,0) -> (0.25, -0.5); (0,1) -> (-0.5, 0.75); (1,1) -> (-0.25, 0.25).
        var projected = new[,] { { 0.25, -0.5 }, { -0.5, 0.75 }, { -0.25, 0.25 } };
        Close(projected, MlaProjector.ModifyGradient(HgmMode.Paper, g, p));
        Close(projected, MlaProjector.ModifyGradient(HgmMode.Official, g, p));
        Close(new[,] { { 1.25, -0.5 }, { -0.5, 1.75 }, { 0.75, 1.25 } }, MlaProjector.ModifyGradient(HgmMode.BalanceBenchmark, g, p));
        Close(new[,] { { 1.0, 0 }, { 0, 1 }, { 1, 1 } }, MlaProjector.ModifyGradient(HgmMode.Released, g, p));
        Close(new[,] { { 1.0, 0 }, { 0, 1 }, { 1, 1 } }, MlaProjector.ModifyGradient(HgmMode.Off, g, p));
    }

    [Fact]
    public void BeforeUpdateSkipsTheFirstStepThenUpdatesPAndRewritesOnlyTheWeightGradient()
    {
        using var scope = NewDisposeScope();
        var head = nn.Linear(2, 3);
        var g = tensor(new float[] { 1, 0, 0, 1, 1, 1 }).reshape(3, 2);
        var gb = tensor(new float[] { 1, 2, 3 });
        void SetGrads() { head.weight!.grad = g.clone(); head.bias!.grad = gb.clone(); }
        // Features whose batch mean is (1, 2).
        var features = tensor(new float[] { 0, 1, 2, 3 }).reshape(2, 2);

        var bb = new MlaProjector(2, HgmMode.BalanceBenchmark, constantAlpha: 0.5);
        SetGrads();
        bb.BeforeUpdate(head.weight!, features, 0, 4);
        Close(new[,] { { 1.0, 0 }, { 0, 1 }, { 1, 1 } }, head.weight!.grad!);
        Close(new[,] { { 1.0, 0 }, { 0, 1 } }, bb.P);
        SetGrads();
        bb.BeforeUpdate(head.weight!, features, 1, 4);
        // The official update of the previous test, then G + G P^T (hand-computed).
        Close(new[,] { { 0.28137093, -0.67529023 }, { -0.67529023, 0.09379031 } }, bb.P);
        Close(new[,] { { 1.28137093, -0.67529023 }, { -0.67529023, 1.09379031 }, { 0.60608070, 0.41850008 } }, head.weight!.grad!);
        Assert.True(head.bias!.grad!.eq(gb).all().item<bool>(), "the bias gradient must be untouched");
        Assert.Equal(2, bb.Steps);

        var released = new MlaProjector(2, HgmMode.Released);
        for (int i = 0; i < 3; i++) { SetGrads(); released.BeforeUpdate(head.weight!, features, i, 4); }
        Close(new[,] { { 1.0, 0 }, { 0, 1 }, { 1, 1 } }, head.weight!.grad!);
        Close(new[,] { { 1.0, 0 }, { 0, 1 } }, released.P);
    }

    [Fact]
    public void ScheduledAlphaFallsFromOneTenthWithinEachEpoch()
    {
        Assert.Equal(0.1, MlaProjector.ScheduledAlpha(0, 10), 12);
        Assert.Equal(Math.Pow(0.1, 1.5), MlaProjector.ScheduledAlpha(5, 10), 12);
        Assert.Equal(0.5, new MlaProjector(2, HgmMode.Paper, 0.5).Alpha(7, 10));
    }

    /// <summary>
    /// Paper mode, P = I: after the update with modality A's mean feature r, P' r = r * alpha / (alpha + |r|^2) exactly,
    /// so the projected gradient's component along r shrinks by that factor. After a further update with modality B's
    /// feature s, P'' is positive semi-definite with P'' &lt;= P' (Loewner order) and ||P''|| &lt;= 1, hence
    /// ||P'' r||^2 &lt;= r^T P'' r &lt;= r^T P' r = alpha |r|^2 / (alpha + |r|^2): every row G_i of the next step's
    /// projected gradient satisfies |(G_i P''^T) . r| &lt;= ||G_i|| |r| sqrt(alpha / (alpha + |r|^2)). Both bounds are tested.
    /// </summary>
    [Fact]
    public void PaperProjectionIsOrthogonalToThePreviousModalitysFeatureUpToAlpha()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        const double alpha = 0.01;
        var r = rand(1, 8) + 0.5;
        var s = rand(1, 8) + 0.5;
        var g = randn(5, 8);
        double r2 = r.pow(2).sum().item<float>();

        var p1 = MlaProjector.PaperUpdate(eye(8), r, alpha);
        double shrink = alpha / (alpha + r2);
        var pr = p1.mm(r.t());
        Assert.True((pr - r.t() * shrink).abs().max().item<float>() < 1e-6, "P' r = r alpha/(alpha + |r|^2)");
        var along = MlaProjector.ModifyGradient(HgmMode.Paper, g, p1).mm(r.t()).abs();
        var bound1 = g.mm(r.t()).abs() * shrink;
        Assert.True((along - bound1).max().item<float>() < 1e-6);

        var p2 = MlaProjector.PaperUpdate(p1, s, alpha);
        var next = MlaProjector.ModifyGradient(HgmMode.Paper, g, p2);
        var dots = next.mm(r.t()).abs().flatten();
        var bound2 = g.pow(2).sum(1).sqrt() * Math.Sqrt(r2) * Math.Sqrt(alpha / (alpha + r2));
        for (int i = 0; i < 5; i++)
            Assert.True(dots[i].item<float>() <= bound2[i].item<float>() + 1e-6, $"row {i}: {dots[i].item<float>()} > {bound2[i].item<float>()}");
        // The unprojected gradient is far from orthogonal to r.
        Assert.True(g.mm(r.t()).abs().max().item<float>() > 10 * dots.max().item<float>());
    }

    // ---------- the alternation ----------

    static ModelParts Parts(int classes = 3) =>
        new(["audio", "visual"], m => m == "audio" ? new TinyConv(1, 4, 6, frames: false) : new TinyConv(3, 4, 6, frames: true), classes);

    static Mla Build(params string[] options)
    {
        manual_seed(11);
        return (Mla)MethodRegistry.Create(MethodRegistry.Parse("mla", options), Parts());
    }

    static Batch MakeBatch(int n, int seed, bool[]? hasVisual = null)
    {
        manual_seed(seed);
        var audio = randn(n, 8, 8);
        var visual = randn(new long[] { n, 3, 2, 8, 8 });
        var labels = randint(0, 3, [n], ScalarType.Int64);
        if (hasVisual is null) return Batch.FromTensors(new Dictionary<string, Tensor> { ["audio"] = audio, ["visual"] = visual }, labels);
        var avail = tensor(hasVisual);
        visual = visual * avail.to_type(ScalarType.Float32).reshape(n, 1, 1, 1, 1);
        return Batch.FromTensors(new Dictionary<string, Tensor> { ["audio"] = audio, ["visual"] = visual }, labels,
            available: new Dictionary<string, Tensor> { ["audio"] = ones(n, ScalarType.Bool), ["visual"] = avail });
    }

    const double Lr = 0.1, Mu = 0.9, Wd = 0.01;

    static optim.Optimizer SGD(Mla m) => optim.SGD(m.TrainableParameters(), Lr, momentum: Mu, weight_decay: Wd);

    static StepContext Ctx(Mla m, optim.Optimizer opt, long step, GradReset reset = GradReset.SetToNone) => new()
    {
        Optimizer = opt, Model = m.Model, Epoch = 0, BatchIndex = (int)(step % 4), BatchesPerEpoch = 4, GlobalStep = step, GradReset = reset,
    };

    static Tensor[] Snapshot(IEnumerable<TorchSharp.Modules.Parameter> ps) => ps.Select(p => p.detach().clone()).ToArray();

    static double MaxDiff(Tensor[] a, Tensor[] b) => a.Zip(b).Max(x => (x.First - x.Second).abs().max().item<float>());

    [Fact]
    public void PaperScheduleTrainsOneModalityPerStepAndNeverMovesTheIdleEncoder()
    {
        using var scope = NewDisposeScope();
        var mla = Build();
        Assert.Equal(MlaSchedule.Paper, mla.Schedule);
        Assert.Equal(HgmMode.Paper, mla.Projector.Mode);
        using var opt = SGD(mla);
        var a0 = Snapshot(mla.Model.EncoderParameters("audio"));
        var v0 = Snapshot(mla.Model.EncoderParameters("visual"));

        var r0 = mla.TrainStep(MakeBatch(6, 1), Ctx(mla, opt, 0));           // t = 0: audio
        Assert.Contains("loss_a", r0.Losses.Keys);
        Assert.DoesNotContain("loss_v", r0.Losses.Keys);
        Assert.True(MaxDiff(a0, Snapshot(mla.Model.EncoderParameters("audio"))) > 1e-4, "the audio encoder must move at its step");
        Assert.Equal(0, MaxDiff(v0, Snapshot(mla.Model.EncoderParameters("visual"))));
        Assert.All(mla.Model.EncoderParameters("visual"), p => Assert.Null(p.grad));

        var a1 = Snapshot(mla.Model.EncoderParameters("audio"));
        var r1 = mla.TrainStep(MakeBatch(6, 2), Ctx(mla, opt, 1));           // t = 1: visual
        Assert.Contains("loss_v", r1.Losses.Keys);
        Assert.True(MaxDiff(v0, Snapshot(mla.Model.EncoderParameters("visual"))) > 1e-4, "the visual encoder must move at its step");
        // The audio encoder has a momentum buffer from t = 0 but no gradient now: SGD skips it.
        Assert.Equal(0, MaxDiff(a1, Snapshot(mla.Model.EncoderParameters("audio"))));
        Assert.All(mla.Model.EncoderParameters("audio"), p => Assert.Null(p.grad));
    }

    [Fact]
    public void PaperScheduleWithTorch18OptimizerMovesTheIdleEncoderByMomentumAndDecayOnly()
    {
        using var scope = NewDisposeScope();
        var mla = Build("torch18_optimizer=true");
        using var opt = SGD(mla);
        var a0 = Snapshot(mla.Model.EncoderParameters("audio"));
        mla.TrainStep(MakeBatch(6, 1), Ctx(mla, opt, 0));
        var a1 = Snapshot(mla.Model.EncoderParameters("audio"));
        mla.TrainStep(MakeBatch(6, 2), Ctx(mla, opt, 1));
        var a2 = Snapshot(mla.Model.EncoderParameters("audio"));
        // buf1 = (a0 - a1)/lr; zero gradient: buf2 = mu*buf1 + wd*a1; a2 = a1 - lr*buf2.
        var expected = a0.Zip(a1).Select(x => x.Second - Mu * (x.First - x.Second) - Lr * Wd * x.Second).ToArray();
        Assert.True(MaxDiff(expected, a2) < 1e-6, $"drift differs by {MaxDiff(expected, a2)}");
    }

    [Fact]
    public void OfficialScheduleWithTorch18OptimizerDriftsTheIdleAudioEncoderByMomentumAndDecayOnly()
    {
        using var scope = NewDisposeScope();
        var drift = Build("schedule=official", "torch18_optimizer=true");
        var clean = Build("schedule=official");
        Assert.Equal(0, MaxDiff(Snapshot(drift.Model.parameters()), Snapshot(clean.Model.parameters())));
        using var o1 = SGD(drift);
        using var o2 = SGD(clean);
        var a0 = Snapshot(clean.Model.EncoderParameters("audio"));
        var batch = MakeBatch(6, 5);
        var r = drift.TrainStep(batch, Ctx(drift, o1, 0));
        clean.TrainStep(batch, Ctx(clean, o2, 0));
        Assert.Equal(new[] { "loss", "loss_a", "loss_v" }, r.Losses.Keys.Order());
        Assert.Equal(0.5 * r.Losses["loss_a"] + 0.5 * r.Losses["loss_v"], r.Losses["loss"], 5);

        // Without the option the audio encoder moves once (its own step); with it, it moves again during the visual
        // step by momentum and weight decay alone: a2 = a1 - mu*(a0 - a1) - lr*wd*a1, a1 = the clean result.
        var a1 = Snapshot(clean.Model.EncoderParameters("audio"));
        var a2 = Snapshot(drift.Model.EncoderParameters("audio"));
        var expected = a0.Zip(a1).Select(x => x.Second - Mu * (x.First - x.Second) - Lr * Wd * x.Second).ToArray();
        Assert.True(MaxDiff(expected, a2) < 1e-6, $"drift differs by {MaxDiff(expected, a2)}");
        // The visual encoder had no gradient during the audio step: the same single real update in both runs.
        Assert.True(MaxDiff(Snapshot(clean.Model.EncoderParameters("visual")), Snapshot(drift.Model.EncoderParameters("visual"))) < 1e-7);
        // After the batch every gradient is removed.
        Assert.All(drift.Model.parameters(), p => Assert.Null(p.grad));
        Assert.All(clean.Model.parameters(), p => Assert.Null(p.grad));
    }

    [Fact]
    public void OfficialScheduleUnderTheParityReplaysZeroGradBehavesAsTorch18()
    {
        using var scope = NewDisposeScope();
        var viaReset = Build("schedule=official");
        var viaOption = Build("schedule=official", "torch18_optimizer=true");
        using var o1 = SGD(viaReset);
        using var o2 = SGD(viaOption);
        for (int b = 0; b < 3; b++)
        {
            var batch = MakeBatch(6, 20 + b);
            viaReset.TrainStep(batch, Ctx(viaReset, o1, b, GradReset.Zero));
            viaOption.TrainStep(batch, Ctx(viaOption, o2, b));
        }
        Assert.True(MaxDiff(Snapshot(viaReset.Model.parameters()), Snapshot(viaOption.Model.parameters())) < 1e-7);
    }

    // ---------- missing modalities ----------

    [Fact]
    public void MissingSkipLeavesSamplesWithoutTheModalityOutOfItsStepAndZeroKeepsThem()
    {
        using var scope = NewDisposeScope();
        bool[] has = [true, false, true, true, false, true];
        var batch = MakeBatch(6, 9, has);
        var rows = tensor(new long[] { 0, 2, 3, 5 });
        foreach (var (missing, expectRows) in new[] { ("skip", true), ("zero", false) })
        {
            var mla = Build("missing=" + missing);
            using var opt = SGD(mla);
            mla.TrainStep(MakeBatch(6, 1), Ctx(mla, opt, 0));                 // an audio step first
            double expected;
            using (no_grad())
            {
                var x = batch.Inputs["visual"];
                var y = batch.Labels;
                if (expectRows) { x = x.index_select(0, rows); y = y.index_select(0, rows); }
                var logits = mla.Head.Linear.call(mla.Model.Encoder("visual").call(x));
                expected = nn.functional.cross_entropy(logits, y).item<float>();
            }
            var r = mla.TrainStep(batch, Ctx(mla, opt, 1));                        // the visual step
            Assert.Equal(expected, r.Losses["loss_v"], 5);
        }
    }

    [Fact]
    public void PredictOffersEveryRuleAndFusesOnlyTheAvailableModalities()
    {
        using var scope = NewDisposeScope();
        var mla = Build("fusion=fixed");
        mla.Model.eval();
        using var noGrad = no_grad();
        var batch = MakeBatch(4, 4, [true, false, true, true]);
        var p = mla.Predict(batch);
        Assert.Equal(new[] { "batch-entropy", "entropy", "fixed", "mean" }, p.Variants.Keys.Order());
        Assert.True(p.Fused.eq(p.Variants["fixed"]).all().item<bool>());
        var a = p.Unimodal["audio"];
        var v = p.Unimodal["visual"];
        foreach (var (rule, fused) in p.Variants)
            Assert.True((fused[1] - a[1]).abs().max().item<float>() < 1e-6, $"{rule}: a sample without visual must be fused from audio alone");
        Assert.True((p.Variants["fixed"][0] - (0.55 * a[0] + 0.45 * v[0])).abs().max().item<float>() < 1e-6);
        Assert.True((p.Variants["mean"][2] - (0.5 * a[2] + 0.5 * v[2])).abs().max().item<float>() < 1e-6);
    }

    [Fact]
    public void FixedFusionWeighsAudioByNameWhateverTheTrainingOrder()
    {
        using var scope = NewDisposeScope();
        var mla = Build("fusion=fixed", "modalities=visual,audio");
        mla.Model.eval();
        using var noGrad = no_grad();
        var p = mla.Predict(MakeBatch(3, 5));
        var expected = 0.55 * p.Unimodal["audio"] + 0.45 * p.Unimodal["visual"];
        Assert.True((p.Fused - expected).abs().max().item<float>() < 1e-6);
    }

    [Fact]
    public void FixedFusionIsRefusedWhereTheOfficialCodeHasNoWeightsAndLeftOutOfTheVariants()
    {
        using var scope = NewDisposeScope();
        static ModelParts Named(string[] names) => new(names, _ => new TinyConv(1, 4, 6, frames: false), 3);
        manual_seed(11);
        var e = Assert.Throws<ArgumentException>(() => MethodRegistry.Create(MethodRegistry.Parse("mla", ["fusion=fixed"]), Named(["audio", "text"])));
        Assert.Contains("fusion=fixed", e.Message);
        Assert.Contains("audio, text", e.Message);
        var mla = (Mla)MethodRegistry.Create(MethodRegistry.Parse("mla", []), Named(["audio", "text"]));
        mla.Model.eval();
        using var noGrad = no_grad();
        var batch = Batch.FromTensors(new Dictionary<string, Tensor> { ["audio"] = randn(2, 8, 8), ["text"] = randn(2, 8, 8) }, tensor(new long[] { 0, 1 }));
        Assert.Equal(new[] { "batch-entropy", "entropy", "mean" }, mla.Predict(batch).Variants.Keys.Order());
    }

    // ---------- options and state ----------

    [Fact]
    public void BadOptionsNameTheOptionAndTheAllowedValues()
    {
        var e = Assert.Throws<ArgumentException>(() => Build("schedule=weekly"));
        Assert.Contains("schedule", e.Message);
        Assert.Contains("paper, official", e.Message);
        e = Assert.Throws<ArgumentException>(() => Build("hgm=magic"));
        Assert.Contains("paper, official, released, balancebenchmark, off", e.Message);
        e = Assert.Throws<ArgumentException>(() => Build("fusion=vote"));
        Assert.Contains("official-batch-entropy", e.Message);
        e = Assert.Throws<ArgumentException>(() => Build("missing=impute"));
        Assert.Contains("skip, zero", e.Message);
        e = Assert.Throws<ArgumentException>(() => Build("hgm_alpha=-1"));
        Assert.Contains("hgm_alpha", e.Message);
        e = Assert.Throws<ArgumentException>(() => Build("modalities=audio,text"));
        Assert.Contains("text", e.Message);
        e = Assert.Throws<ArgumentException>(() => Build("modalities=audio"));
        Assert.Contains("two or more", e.Message);
    }

    [Fact]
    public void TheProjectorIsSavedAndRestoredWithTheMethodState()
    {
        using var scope = NewDisposeScope();
        var mla = Build("hgm=official");
        using var opt = SGD(mla);
        for (int t = 0; t < 3; t++) mla.TrainStep(MakeBatch(6, 30 + t), Ctx(mla, opt, t));
        var state = mla.StateTensors().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        Assert.Equal(3, state["hgm/steps"].item<long>());
        Assert.True((mla.Projector.P - eye(6)).abs().max().item<float>() > 1e-3, "P must have moved");

        var fresh = Build("hgm=official");
        fresh.LoadStateTensors(state);
        Assert.Equal(3, fresh.Projector.Steps);
        Assert.True(fresh.Projector.P.eq(mla.Projector.P).all().item<bool>());
    }

    [Theory]
    [InlineData("hgm=official")]
    [InlineData("schedule=official;hgm=paper;torch18_optimizer=true")]
    public void AResumedRunEndsWhereAnUninterruptedOneEnds(string optionList)
    {
        var options = optionList.Split(';');
        using var scope = NewDisposeScope();
        var train = new DataLoader(MethodTestData.Dataset(24, 20), 5, true, SampleMode.Train, 5);
        var val = new DataLoader(MethodTestData.Dataset(9, 21, "val"), 6, false, SampleMode.Eval, 0);
        var config = new TrainConfig { Epochs = 3, BatchSize = 5, Lr = LrSchedule.Constant(0.05), Selection = Selection.Last, EvaluateTestEachEpoch = false, Seed = 3 };

        (Dictionary<string, Tensor> Weights, Tensor P) Run(int? stopAfter, string dir, bool resume)
        {
            var method = MethodTestData.Create<Mla>("mla", MethodTestData.Parts(), options);
            new Trainer { Config = config, Checkpoints = new Checkpoints(dir), Resume = resume, StopAfterEpochs = stopAfter }.Fit(method, train, val, null);
            return (method.Model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone()), method.Projector.P.clone());
        }

        var straight = Run(null, TestPaths.TempDir(), false);
        var dir = TestPaths.TempDir();
        Run(1, dir, false);
        var resumed = Run(null, dir, true);
        Assert.True((straight.P - eye(6)).abs().max().item<float>() > 1e-3, "P must have moved");
        Assert.True(straight.P.allclose(resumed.P, 1e-6, 1e-7), "P differs after resuming");
        foreach (var (k, v) in straight.Weights)
            Assert.True(v.allclose(resumed.Weights[k], 1e-6, 1e-7), $"{k} differs after resuming");
    }
}
