using Repro.Models.Lora;
using Repro.Data;
using Repro.Methods;
using Repro.Training;
using TorchSharp;
using static TorchSharp.torch;
using Repro.Methods.U2a;

namespace Repro.Tests.Methods;

/// <summary>U2A (eq. 1-7) on tiny encoders: token selection, alignment, dropout, frozen weights, parameter counts.</summary>
[Collection(Repro.Tests.Training.TrainingCollection.Name)]
public class U2aTests
{
    const string I = Modalities.Image, T = Modalities.Text;
    const int Classes = 3;

    internal static ModelParts Parts(bool multiLabel = false)
    {
        var info = new DatasetInfo("tiny", [new ModalitySpec(I, [3, 8, 8]), new ModalitySpec(T, [6], ScalarType.Int64)],
            Enumerable.Range(0, Classes).Select(c => $"c{c}").ToArray(), multiLabel);
        return new ModelParts([I, T], _ => throw new InvalidOperationException("U2A builds its own encoders"), Classes, multiLabel) { Info = info };
    }

    static U2a NewU2a(params (string Key, object Value)[] options)
    {
        manual_seed(11);
        (string, object)[] size = [("hidden", 8), ("layers", 1), ("heads", 2), ("image_patch", 4), ("vocab", 30)];
        return (U2a)MethodRegistry.Create(MethodRegistry.Resolve("u2a", MethodTestKit.Texts([.. size, .. options])), Parts());
    }

    internal static Batch RandomBatch(bool[]? image = null, bool[]? text = null, int b = 4)
    {
        var g = new Generator(5);
        var ids = randint(4, 30, [b, 6], generator: g, dtype: ScalarType.Int64);
        ids[.., 0] = 2;
        var inputs = new Dictionary<string, Tensor> { [I] = randn([b, 3, 8, 8], generator: g), [T] = ids };
        var available = new Dictionary<string, Tensor>
        {
            [I] = tensor(image ?? Enumerable.Repeat(true, b).ToArray()),
            [T] = tensor(text ?? Enumerable.Repeat(true, b).ToArray()),
        };
        return Batch.FromTensors(inputs, randint(0, Classes, [b], generator: g, dtype: ScalarType.Int64), available: available);
    }

    [Fact]
    public void Eq4PicksTheTokensOfEachAvailabilityPattern()
    {
        using var scope = NewDisposeScope();
        // rows: complete, image missing, text missing, both missing; CLS^ = 10*row + 1 (+100 for text), MT^ = 10*row + 2
        var rows = arange(4, dtype: ScalarType.Float32).view(4, 1, 1) * 10;
        var outImage = cat([rows + 1, rows + 2], 1).expand(4, 2, 3);
        var outText = cat([rows + 101, rows + 102], 1).expand(4, 2, 3);
        var avail = new Dictionary<string, Tensor> { [I] = tensor(new[] { true, false, true, false }), [T] = tensor(new[] { true, true, false, false }) };
        var sel = U2a.SelectTokens(I, T, new Dictionary<string, Tensor> { [I] = outImage, [T] = outText }, avail);
        Assert.Equal(new float[] { 1, 112, 21, 31 }, sel[I][.., 0].data<float>().ToArray());    // CLS_i, MT_t, CLS_i, CLS_i
        Assert.Equal(new float[] { 101, 111, 22, 131 }, sel[T][.., 0].data<float>().ToArray()); // CLS_t, CLS_t, MT_i, CLS_t
    }

    [Fact]
    public void TheAlignmentLossIgnoresIncompleteSamples()
    {
        using var scope = NewDisposeScope();
        var g = new Generator(3);
        var outImage = randn([5, 2, 4], generator: g).requires_grad_();
        var outText = randn([5, 2, 4], generator: g).requires_grad_();
        var avail = new Dictionary<string, Tensor> { [I] = tensor(new[] { true, false, true, true, false }), [T] = tensor(new[] { true, true, false, true, false }) };
        var outputs = new Dictionary<string, Tensor> { [I] = outImage, [T] = outText };
        var loss = U2a.AlignmentLoss(I, T, outputs, avail)!;

        var rows = tensor(new long[] { 0, 3 });
        var oi = outImage.detach().index_select(0, rows);
        var ot = outText.detach().index_select(0, rows);
        var expected = (oi[.., 1] - ot[.., 0]).pow(2).mean() + (ot[.., 1] - oi[.., 0]).pow(2).mean();
        Assert.Equal(expected.item<float>(), loss.item<float>(), 5);

        var grads = torch.autograd.grad([loss], [outImage, outText]);
        foreach (var grad in grads)
            foreach (var r in new[] { 1, 2, 4 })
                Assert.Equal(0f, grad[r].abs().sum().item<float>());
        Assert.True(grads[0][0].abs().sum().item<float>() > 0);

        var none = new Dictionary<string, Tensor> { [I] = tensor(new[] { true, false }), [T] = tensor(new[] { false, true }) };
        Assert.Null(U2a.AlignmentLoss(I, T, new Dictionary<string, Tensor> { [I] = randn(2, 2, 4), [T] = randn(2, 2, 4) }, none));
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.2)]
    [InlineData(0.0)]
    public void ModalityDropoutRatesMatchTheSetting(double rate)
    {
        using var scope = NewDisposeScope();
        const int n = 40_000;
        var image = Enumerable.Range(0, n).Select(i => i % 10 != 0).ToArray();   // 10% already lack the image
        var avail = new Dictionary<string, Tensor> { [I] = tensor(image), [T] = ones(n, dtype: ScalarType.Bool) };
        var after = ModalityDropout.Draw([I, T], avail, rate, new Generator(9));
        var complete = n * 0.9;
        var lostImage = avail[I].logical_and(after[I].logical_not()).sum().item<long>();
        var lostText = avail[T].logical_and(after[T].logical_not()).sum().item<long>();
        double sd = Math.Sqrt(complete * 0.25);
        Assert.InRange(lostImage + lostText, complete * rate - 4 * sd, complete * rate + 4 * sd);
        Assert.InRange(lostImage, complete * rate / 2 - 4 * sd, complete * rate / 2 + 4 * sd);
        Assert.InRange(lostText, complete * rate / 2 - 4 * sd, complete * rate / 2 + 4 * sd);
        Assert.Equal(0, after[I].logical_and(after[T]).logical_not().logical_and(after[I].logical_or(after[T]).logical_not()).sum().item<long>()); // nobody loses both
        var incompleteRows = tensor(Enumerable.Range(0, n).Where(i => !image[i]).Select(i => (long)i).ToArray());
        Assert.True(after[T].index_select(0, incompleteRows).all().item<bool>(), "an incomplete sample lost its remaining modality");
    }

    [Fact]
    public void ImageTextEpochsAreCappedAtThePapersTenUnlessTheOptionSaysOtherwise()
    {
        using var scope = NewDisposeScope();
        Assert.Equal(10, NewU2a().AdjustTraining(new TrainConfig { Epochs = 25 }).Epochs);
        Assert.Equal(2, NewU2a().AdjustTraining(new TrainConfig { Epochs = 2 }).Epochs);
        var explicitEpochs = NewU2a(("epochs", 25)).AdjustTraining(new TrainConfig { Epochs = 2 });
        Assert.Equal(25, explicitEpochs.Epochs);
        Assert.Equal(25, explicitEpochs.Lr.TotalEpochs);
        Assert.Throws<ArgumentException>(() => NewU2a(("epochs", 0)));
    }

    [Fact]
    public void FrozenTensorsGetNoGradientAndAreNotInTheOptimizer()
    {
        using var scope = NewDisposeScope();
        var method = NewU2a();
        var named = method.Model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var trainable = named.Where(kv => kv.Value.requires_grad).Select(kv => kv.Key).ToHashSet();
        Assert.All(trainable, n => Assert.True(n.Contains(".lora_") || n.EndsWith(".mask_token") || n.StartsWith("fusion_module.fc_out."), n));
        Assert.Equal(2 * 4 * 2 + 2 + 2, trainable.Count);   // 4 adapted projections x (A, B) x 2 encoders, 2 mask tokens, fc_out weight and bias
        Assert.Contains("image_net.backbone.encoder.layers.0.self_attn.q_proj.base_layer.weight", named.Keys);
        Assert.Contains("text_net.backbone.encoder.layer.0.attention.self.query.lora_B.weight", named.Keys);
        // Each module is registered once, under its PyTorch name: 4 adapted projections per encoder, not 8.
        Assert.Equal(2 * 4, method.Model.named_modules().Count(m => m.module is LoraLinear));
        Assert.DoesNotContain(method.Model.state_dict().Keys, k => k.Contains("k__BackingField"));

        var cfg = method.AdjustTraining(new TrainConfig { Epochs = 10 });
        Assert.Equal("adamw", cfg.Optimizer);
        using var optimizer = Optimizers.Create(cfg, method.TrainableParameters());
        var inOptimizer = ((TorchSharp.Modules.OptimizerHelper)optimizer).parameters().ToList();
        Assert.Equal(trainable.Count, inOptimizer.Count);
        var frozenHandles = named.Where(kv => !kv.Value.requires_grad).Select(kv => kv.Value.Handle).ToHashSet();
        Assert.DoesNotContain(inOptimizer, p => frozenHandles.Contains(p.Handle));

        var frozenBefore = named.Where(kv => !kv.Value.requires_grad).ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
        var ctx = new StepContext { Optimizer = optimizer, Model = method.Model, Epoch = 0, BatchIndex = 0, BatchesPerEpoch = 1, GlobalStep = 0 };
        var step = method.TrainStep(RandomBatch([true, false, true, true], [true, true, false, true]), ctx);
        Assert.True(double.IsFinite(step.Losses["loss"]));
        foreach (var (name, p) in named)
        {
            using var g = p.grad;
            if (!p.requires_grad) Assert.True(g is null, $"frozen {name} received a gradient");
        }
        foreach (var (name, before) in frozenBefore)
            Assert.True(named[name].equal(before).all().item<bool>(), $"frozen {name} moved");
        Assert.True(named["fusion_module.fc_out.weight"].grad is not null);
    }

    [Fact]
    public void TrainsThroughTheTrainerAndPredictsEveryPattern()
    {
        var method = NewU2a(("modality_dropout", 0.5));
        var g = new Generator(4);
        int n = 12;
        var ids = randint(4, 30, [n, 6], generator: g, dtype: ScalarType.Int64);
        var ds = new TensorDataset("tiny", new Dictionary<string, Tensor> { [I] = randn([n, 3, 8, 8], generator: g), [T] = ids },
            randint(0, Classes, [n], generator: g, dtype: ScalarType.Int64), ["a", "b", "c"]);
        var cfg = method.AdjustTraining(new TrainConfig { Epochs = 2, BatchSize = 4, Selection = Selection.Last });
        var loader = new DataLoader(ds, 4, true, SampleMode.Train, 1);
        var result = new Trainer { Config = cfg }.Fit(method, loader, null, new DataLoader(ds, 4, false, SampleMode.Eval, 0));
        Assert.Equal(2, result.History.Count);
        var last = result.History[^1].TrainLosses;   // U2A eq. 7 holds for the epoch means too (the exact per-step checks: U2aStepTests)
        Assert.Equal(last["loss_task"] + 0.2 * last["loss_align"], last["loss"], 5);
        Assert.Contains("dropped", last.Keys);
        Assert.Contains("acc@without-mask-token", result.History[^1].Test!.Keys);

        using var scope = NewDisposeScope();
        method.Model.eval();
        using var noGrad = no_grad();
        var batch = RandomBatch([true, false, true], [true, true, false], 3);
        var p = method.Predict(batch);
        var outputs = method.Outputs(batch);
        var cls = outputs.ToDictionary(kv => kv.Key, kv => kv.Value[.., 0]);
        var mt = outputs.ToDictionary(kv => kv.Key, kv => kv.Value[.., 1]);
        var fc = method.Head.Classifier;
        Assert.True(p.Fused[0].allclose(fc.call(cls[I][0] + cls[T][0]), 1e-5, 1e-6));
        Assert.True(p.Fused[1].allclose(fc.call(mt[T][1] + cls[T][1]), 1e-5, 1e-6));
        Assert.True(p.Fused[2].allclose(fc.call(cls[I][2] + mt[I][2]), 1e-5, 1e-6));
        Assert.True(p.Unimodal[T].allclose(fc.call(mt[T] + cls[T]), 1e-5, 1e-6));
    }

    [Fact]
    public void TheMaskTokenAnalysisCountsEachClassAndMeasuresTheEstimateAgainstTheOtherCls()
    {
        var method = NewU2a();
        var g = new Generator(6);
        int n = 10;
        var ds = new TensorDataset("tiny", new Dictionary<string, Tensor> { [I] = randn([n, 3, 8, 8], generator: g), [T] = randint(4, 30, [n, 6], generator: g, dtype: ScalarType.Int64) },
            tensor(new long[] { 0, 1, 2, 0, 1, 2, 0, 0, 1, 2 }), ["a", "b", "c"]);
        var loader = new DataLoader(ds, 4, false, SampleMode.Eval, 0);
        var scores = MaskTokenAnalysis.PerClass(method, loader);
        Assert.Equal([4, 3, 3], scores.Select(s => s.Count));
        var overall = Repro.Evaluation.Evaluator.Evaluate(method, loader);
        Assert.Equal(overall["acc"], scores.Sum(s => s.Complete * s.Count) / n, 6);

        using var scope = NewDisposeScope();
        method.Model.eval();
        using var noGrad = no_grad();
        var batch = loader.Load([0, 3, 6, 7], 0);   // the class-0 samples
        var o = method.Outputs(batch);
        double textMse = (o[I].select(1, 1) - o[T].select(1, 0)).pow(2).mean().item<float>();   // U2A eq. 6: MT^_image vs CLS^_text
        Assert.Equal(textMse, scores[0].EstimateMse[T], 5);
        var withoutText = ModalityDropout.Apply(batch, new Dictionary<string, Tensor> { [T] = zeros(4, ScalarType.Bool) });
        var p = method.Predict(withoutText);
        double hits = p.Fused.argmax(1).eq(batch.Labels).sum().item<long>();
        Assert.Equal(100 * hits / 4, scores[0].WithMaskToken[T], 6);
    }

    [Fact]
    public void ModalityDropoutIsOffWhenTheTrainingDataAlreadyMissesModalities()
    {
        var method = NewU2a();
        var g = new Generator(4);
        var ds = new TensorDataset("tiny", new Dictionary<string, Tensor> { [I] = randn([4, 3, 8, 8], generator: g), [T] = ones([4, 6], ScalarType.Int64) },
            zeros(4, ScalarType.Int64), ["a", "b", "c"]);
        var masked = new Repro.Data.Missing.ModalityMask([I, T], new bool[,] { { true, true }, { true, false }, { true, true }, { true, true } }).Apply(ds);
        EpochContext Ctx(IMultimodalDataset d) => new() { Epoch = 0, Epochs = 1, Train = new DataLoader(new Subset(d, [0, 1, 2]), 2, false, SampleMode.Train, 0), Device = CPU };
        method.OnEpochStart(Ctx(masked));
        Assert.Equal(0, method.DropoutRate);
        method.OnEpochStart(Ctx(ds));
        Assert.Equal(0.5, method.DropoutRate);
    }

    [Fact]
    public void PaperParameterCountsMatchTheArithmetic()
    {
        var ks = U2aPaperConfigurations.Count(U2aPaperConfigurations.Named("ks"));
        Assert.Equal(172_831, ks.Trainable);   // 147,456 LoRA + 1,536 mask tokens + 23,839 classifier (docs/u2a.md#parameter-counts)
        Assert.InRange(ks.Total / 1e6, 172.16 * 0.995, 172.16 * 1.005);
        var food = U2aPaperConfigurations.Count(U2aPaperConfigurations.Named("food101"));
        Assert.Equal(226_661, food.Trainable);
        Assert.InRange(food.Total / 1e6, 195.51 * 0.995, 195.51 * 1.005);
        Assert.Equal(166_679, U2aPaperConfigurations.Count(U2aPaperConfigurations.Named("mmimdb")).Trainable);
    }

    [Fact]
    public void MoreThanTwoModalitiesOrNoShapesAreRefused()
    {
        var parts = Parts() with { Info = null };
        var e = Assert.Throws<ArgumentException>(() => MethodRegistry.Create(MethodRegistry.Resolve("u2a"), parts));
        Assert.Contains("Info", e.Message);
    }
}
