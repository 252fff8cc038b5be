using Repro.Data;
using Repro.Methods;
using Repro.Models;
using Repro.Models.Fusion;
using Repro.Training;
using TorchSharp.Modules;
using static Repro.Tests.Methods.MethodTestKit;
using static TorchSharp.torch;
using Repro.Methods.Dgl;

namespace Repro.Tests.Methods;

/// <remarks>Runs alone (TrainingCollection): it compares gradients of separate passes to 1e-6, and libtorch's CPU
/// convolution backward has disagreed between identical passes when other tests ran beside it.</remarks>
[Collection(Repro.Tests.Training.TrainingCollection.Name)]
public class DglTests
{
    /// <summary>The gradients one DGL step leaves (read after a zero-lr step) and those of separate reference graphs.</summary>
    static (Dgl Method, Batch Batch, Dictionary<string, Tensor?> After) Step(string fusion, double alpha, params (string, object)[] extra)
    {
        var opts = new List<(string, object)> { ("fusion", fusion), ("alpha", alpha), ("grad_clip_norm", 0.0) };
        opts.AddRange(extra);
        var method = (Dgl)Create("dgl", options: opts.ToArray());
        var batch = RandomBatch();
        method.TrainStep(batch, FrozenContext(method));
        var after = method.Model.named_parameters().ToDictionary(np => np.name, np => np.parameter.grad?.clone());
        return (method, batch, after);
    }

    static void AssertGrads(Dgl method, Dictionary<string, Tensor?> after, IEnumerable<(string Name, Parameter P)> parameters, Tensor loss, string what)
    {
        var list = parameters.ToList();
        var expected = Grads(loss, list.Select(x => x.P).ToList());
        for (int i = 0; i < list.Count; i++)
        {
            var name = list[i].Name;
            if (expected[i] is null)
            {
                Assert.True(after[name] is null || after[name]!.abs().max().item<float>() == 0, $"{what}: {name} should have no gradient");
                continue;
            }
            Assert.True(after[name] is not null, $"{what}: {name} has no gradient");
            AssertClose(expected[i]!, after[name]!, 1e-6, $"{what}: {name}");
        }
    }

    static IEnumerable<(string, Parameter)> Encoders(Dgl m) =>
        m.Model.named_parameters().Where(np => !np.name.StartsWith("fusion_module.")).Select(np => (np.name, np.parameter));
    static IEnumerable<(string, Parameter)> Head(Dgl m) =>
        m.Model.named_parameters().Where(np => np.name.StartsWith("fusion_module.")).Select(np => (np.name, np.parameter));

    static Tensor UnimodalLoss(Dgl m, Batch b, double alpha)
    {
        var f = m.Model.Encode(b);
        return (nn.functional.cross_entropy(m.Model.Head.Unimodal(Modalities.Audio, f), b.Labels)
              + nn.functional.cross_entropy(m.Model.Head.Unimodal(Modalities.Visual, f), b.Labels)) * alpha;
    }

    static Tensor FusedLoss(Dgl m, Batch b) => nn.functional.cross_entropy(m.Model.Head.Fuse(m.Model.Encode(b)), b.Labels);

    [Theory]
    [InlineData("concat")]
    [InlineData("sum")]
    [InlineData("gated")]
    [InlineData("film")]
    public void EncodersGetAlphaTimesTheUnimodalGradientAndTheHeadTheMultimodalOne(string fusion)
    {
        const double alpha = 2.5;
        var (method, batch, after) = Step(fusion, alpha);
        AssertGrads(method, after, Encoders(method), UnimodalLoss(method, batch, alpha), $"{fusion} encoders");
        AssertGrads(method, after, Head(method), FusedLoss(method, batch), $"{fusion} head");
        if (fusion == "concat") Assert.Null(after["fusion_module.fc_auxi.weight"]);
        if (fusion == "gated") Assert.NotNull(after["fusion_module.fc_x.weight"]);
    }

    /// <summary>
    /// DGL on MMTM (Table 2): the encoders (stem to layer2) get alpha times the gradient of the unimodal losses, each the
    /// fusion module run with the other modality's layer2 map set to zeros (written out here, not through Unimodal); the
    /// fusion module (layer3, layer4, the three MMTMs, fc) gets only the gradient of the fused loss on detached maps.
    /// </summary>
    [Fact]
    public void WithMmtmTheEncodersGetOnlyTheUnimodalGradientAndTheFusionModuleOnlyTheMultimodalOne()
    {
        const double alpha = 2.5;
        var method = (Dgl)Create("dgl", Repro.Tests.Models.MmtmTests.ResNetParts(), options: [("fusion", "mmtm"), ("alpha", alpha), ("grad_clip_norm", 0.0)]);
        WeightInit.Apply(method.Model);
        var batch = Repro.Tests.Models.MmtmTests.ResNetBatch();
        method.TrainStep(batch, FrozenContext(method));
        var after = method.Model.named_parameters().ToDictionary(np => np.name, np => np.parameter.grad?.clone());
        Assert.Contains(Head(method), p => p.Item1.StartsWith("fusion_module.visual_layer4."));
        Assert.DoesNotContain(Encoders(method), p => p.Item1.Contains("layer3"));

        var maps = method.Model.Encode(batch);
        var a = maps[Modalities.Audio];
        var v = maps[Modalities.Visual];
        var head = method.Model.Head;
        var unimodal = (nn.functional.cross_entropy(head.Fuse(new Dictionary<string, Tensor> { [Modalities.Audio] = a, [Modalities.Visual] = zeros_like(v) }), batch.Labels)
                      + nn.functional.cross_entropy(head.Fuse(new Dictionary<string, Tensor> { [Modalities.Audio] = zeros_like(a), [Modalities.Visual] = v }), batch.Labels)) * alpha;
        var fused = nn.functional.cross_entropy(head.Fuse(new Dictionary<string, Tensor> { [Modalities.Audio] = a.detach(), [Modalities.Visual] = v.detach() }), batch.Labels);
        AssertGrads(method, after, Encoders(method), unimodal, "mmtm encoders");
        AssertGrads(method, after, Head(method), fused, "mmtm fusion module");
        // the truncation matters: the fused loss alone would move the encoders differently
        var enc = Encoders(method).Select(x => x.Item2).ToList();
        var joint = Grads(nn.functional.cross_entropy(head.Fuse(method.Model.Encode(batch)), batch.Labels), enc);
        Assert.Contains(enc.Select((p, i) => (joint[i], after[Encoders(method).ElementAt(i).Item1])), g => g.Item1 is not null && !g.Item1.allclose(g.Item2!, 1e-4, 1e-6));
    }

    [Fact]
    public void TheOfficialGatedDetachLeavesFcXAndFcYWithoutGradient()
    {
        var (method, batch, after) = Step("gated", 1.0, ("gated_detach", "official"));
        Assert.Null(after["fusion_module.fc_x.weight"]);
        Assert.Null(after["fusion_module.fc_y.bias"]);
        Assert.NotNull(after["fusion_module.fc_out.weight"]);
        AssertGrads(method, after, Encoders(method), UnimodalLoss(method, batch, 1.0), "encoders");
    }

    [Fact]
    public void MultimodalTruncationOnlyLeavesTheUnimodalGradientOnTheHead()
    {
        const double alpha = 3;
        var (method, batch, after) = Step("concat", alpha, ("truncation", "multimodal"));
        AssertGrads(method, after, Encoders(method), UnimodalLoss(method, batch, alpha), "encoders");
        AssertGrads(method, after, Head(method), FusedLoss(method, batch) + UnimodalLoss(method, batch, alpha), "head");
    }

    [Fact]
    public void UnimodalTruncationOnlyLetsTheFusedLossReachTheEncoders()
    {
        const double alpha = 3;
        var (method, batch, after) = Step("concat", alpha, ("truncation", "unimodal"));
        AssertGrads(method, after, Encoders(method), FusedLoss(method, batch) + UnimodalLoss(method, batch, alpha), "encoders");
        AssertGrads(method, after, Head(method), FusedLoss(method, batch), "head");
    }

    [Fact]
    public void LogsTheFixtureColumns()
    {
        var method = (Dgl)Create("dgl", options: [("alpha", 2.0)]);
        var batch = RandomBatch();
        var r = method.TrainStep(batch, FrozenContext(method));
        Assert.Equal(r.Losses["loss_fused"] + 2.0 * (r.Losses["loss_a"] + r.Losses["loss_v"]), r.Losses["loss"], 5);
    }

    [Fact]
    public void ClippingScalesEveryGradientByTheGlobalNorm()
    {
        var a = new Parameter(zeros(2));
        var b = new Parameter(zeros(1));
        var c = new Parameter(zeros(1));   // no gradient: ignored, as torch does
        a.grad = tensor(new[] { 3f, 0f });
        b.grad = tensor(new[] { 4f });
        var total = Dgl.ClipGradNorm([a, b, c], 1.0);
        Assert.Equal(5.0, total, 5);
        Assert.Equal(3.0 / (5 + 1e-6), a.grad!.data<float>()[0], 5);
        Assert.Equal(4.0 / (5 + 1e-6), b.grad!.data<float>()[0], 5);
        Assert.Null(c.grad);
        Dgl.ClipGradNorm([a, b], 10.0);
        Assert.Equal(3.0 / (5 + 1e-6), a.grad!.data<float>()[0], 5);   // below the limit: unchanged
    }

    [Fact]
    public void OfficialQuirksAdjustTheLoop()
    {
        var method = (Dgl)Create("dgl", options: [("test_drop_last", true), ("scheduler_before_epoch", true)]);
        var config = method.AdjustTraining(new TrainConfig { Epochs = 4, Lr = LrSchedule.MultiStep(0.1, [2], 0.1) });
        Assert.True(config.DropLastEval);
        Assert.Equal([0.1, 0.01, 0.01, 0.01], Enumerable.Range(0, 4).Select(e => Math.Round(config.Lr.At(e), 6)));
        var plain = (Dgl)Create("dgl");
        var same = plain.AdjustTraining(new TrainConfig { Epochs = 4, Lr = LrSchedule.MultiStep(0.1, [2], 0.1) });
        Assert.False(same.DropLastEval);
        Assert.Equal([0.1, 0.1, 0.01, 0.01], Enumerable.Range(0, 4).Select(e => Math.Round(same.Lr.At(e), 6)));
    }

    [Fact]
    public void BadOptionsNameTheOptionAndTheAllowedValues()
    {
        var e = Assert.Throws<ArgumentException>(() => Create("dgl", options: [("truncation", "half")]));
        Assert.Contains("truncation", e.Message);
        Assert.Contains("multimodal", e.Message);
    }

    [Fact]
    public void DglHeadsComputeTheirFormulas()
    {
        manual_seed(3);
        var film = new FilmFusionDgl([Modalities.Audio, Modalities.Visual], 2, 3);
        var a = tensor(new[] { 1f, 2f }).reshape(1, 2);
        var v = tensor(new[] { 3f, -1f }).reshape(1, 2);
        var sd = film.state_dict();
        var fcW = sd["fc.weight"]; var fcB = sd["fc.bias"]; var oW = sd["fc_out.weight"]; var oB = sd["fc_out.bias"];
        var outer = tensor(new[] { 3f, -1f, 6f, -2f }).reshape(1, 4);   // a_i v_j, row by row
        var expected = (outer.matmul(fcW.t()) + fcB).matmul(oW.t()) + oB;
        var features = new Dictionary<string, Tensor> { [Modalities.Audio] = a, [Modalities.Visual] = v };
        AssertClose(expected, film.Fuse(features), 1e-5, "FiLM_DGL fused");

        var concat = new ConcatFusionDgl([Modalities.Audio, Modalities.Visual], 2, 3);
        var w = concat.state_dict()["fc_out.weight"]; var bias = concat.state_dict()["fc_out.bias"];
        var expectedA = a.matmul(w.narrow(1, 0, 2).t()) + bias;     // full bias (DGL eq. 11)
        AssertClose(expectedA, concat.Unimodal(Modalities.Audio, features), 1e-6, "ConcatFusion_DGL audio");
    }

    static void Set(TorchSharp.torch.nn.Module head, string name, float[] values, params long[] shape)
    {
        using var noGrad = no_grad();
        head.state_dict()[name].copy_(tensor(values).reshape(shape));
    }

    static Dictionary<string, Tensor> Features(float[] x, float[] y) => new()
    {
        [Modalities.Audio] = tensor(x).reshape(1, x.Length), [Modalities.Visual] = tensor(y).reshape(1, y.Length),
    };

    static void AssertLogits(double[] expected, Tensor actual, string what)
    {
        var got = actual.to_type(ScalarType.Float64).data<double>().ToArray();
        Assert.Equal(expected.Length, got.Length);
        for (int i = 0; i < got.Length; i++) Assert.True(Math.Abs(expected[i] - got[i]) < 1e-5, $"{what}[{i}]: expected {expected[i]}, got {got[i]}");
    }

    /// <summary>
    /// fc_x = ([[1,0],[0,1],[1,1]], [0.1,0.2,0.3]), fc_y = ([[0,1],[1,0],[-1,1]], [1,-1,0.5]); x = (1,2), y = (3,-1):
    /// fc_x(x) = (1.1, 2.2, 3.3), fc_y(y) = (0, 2, -3.5). Paper (DGL eq. 12, 14) adds the other layer's bias.
    /// </summary>
    [Fact]
    public void SumHeadsUnimodalLogitsPaperAddTheOtherBiasOfficialDoNot()
    {
        var head = (SumFusionDgl)DglFusionHeads.Create(FusionKind.Sum, [Modalities.Audio, Modalities.Visual], 2, 3);
        Set(head, "fc_x.weight", [1, 0, 0, 1, 1, 1], 3, 2); Set(head, "fc_x.bias", [0.1f, 0.2f, 0.3f], 3);
        Set(head, "fc_y.weight", [0, 1, 1, 0, -1, 1], 3, 2); Set(head, "fc_y.bias", [1, -1, 0.5f], 3);
        var f = Features([1, 2], [3, -1]);
        AssertLogits([1.1, 4.2, -0.2], head.Fuse(f), "fused");
        Assert.False(head.OfficialUnimodal);
        AssertLogits([2.1, 1.2, 3.8], head.Unimodal(Modalities.Audio, f), "paper audio = fc_x(x) + b_y");
        AssertLogits([0.1, 2.2, -3.2], head.Unimodal(Modalities.Visual, f), "paper visual = b_x + fc_y(y)");
        head.OfficialUnimodal = true;
        AssertLogits([1.1, 2.2, 3.3], head.Unimodal(Modalities.Audio, f), "official audio = fc_x(x)");
        AssertLogits([0, 2, -3.5], head.Unimodal(Modalities.Visual, f), "official visual = fc_y(y)");
        AssertLogits([1.1, 4.2, -0.2], head.Fuse(f), "fused (either form)");
    }

    /// <summary>
    /// L = ln 3, so sigmoid(L) = 3/4, sigmoid(0) = 1/2, sigmoid(-L) = 1/4. fc_x = (I, (0, L)), fc_y = (I, (2, -4)),
    /// fc_out = ([[1,2],[0,-1]], (0.5, 0)); x = (L, -L) gives ox = (L, 0); y = (L - 2, 4 - L) gives oy = (L, -L).
    /// </summary>
    [Fact]
    public void GatedHeadsUnimodalLogitsPaperGateByTheOtherBiasOfficialByItself()
    {
        float L = (float)Math.Log(3);
        double l = Math.Log(3);
        var head = (GatedFusionDgl)DglFusionHeads.Create(FusionKind.Gated, [Modalities.Audio, Modalities.Visual], 2, 2);
        Set(head, "fc_x.weight", [1, 0, 0, 1], 2, 2); Set(head, "fc_x.bias", [0, L], 2);
        Set(head, "fc_y.weight", [1, 0, 0, 1], 2, 2); Set(head, "fc_y.bias", [2, -4], 2);
        Set(head, "fc_out.weight", [1, 2, 0, -1], 2, 2); Set(head, "fc_out.bias", [0.5f, 0], 2);
        var f = Features([L, -L], [L - 2, 4 - L]);
        // sigmoid(ox) * oy = (3L/4, -L/2)
        AssertLogits([0.5 - 0.25 * l, 0.5 * l], head.Fuse(f), "fused");
        // paper: sigmoid(ox) * fc_y(0) = (3/4 * 2, 1/2 * -4) = (1.5, -2); sigmoid(fc_x(0)) * oy = (1/2 * L, 3/4 * -L)
        AssertLogits([-2, 2], head.Unimodal(Modalities.Audio, f), "paper audio");
        AssertLogits([0.5 - l, 0.75 * l], head.Unimodal(Modalities.Visual, f), "paper visual");
        head.OfficialUnimodal = true;
        // official: sigmoid(ox) * ox = (3L/4, 0); sigmoid(oy) * oy = (3L/4, -L/4)
        AssertLogits([0.5 + 0.75 * l, 0], head.Unimodal(Modalities.Audio, f), "official audio");
        AssertLogits([0.5 + 0.25 * l, 0.25 * l], head.Unimodal(Modalities.Visual, f), "official visual");
    }

    [Theory]
    [InlineData("sum")]
    [InlineData("gated")]
    public void UnimodalLogitsOptionReachesTheHead(string fusion)
    {
        bool Official(Method m) => m.Model.Head switch { SumFusionDgl s => s.OfficialUnimodal, GatedFusionDgl g => g.OfficialUnimodal, var h => throw new InvalidOperationException(h.GetType().Name) };
        Assert.False(Official(Create("dgl", options: [("fusion", fusion)])));
        Assert.True(Official(Create("dgl", options: [("fusion", fusion), ("unimodal_logits", "official")])));
        Assert.True(Official(MethodRegistry.Create(MethodRegistry.Parse("dgl-official", [$"fusion={fusion}"]), AudioVisual())));
    }
}
