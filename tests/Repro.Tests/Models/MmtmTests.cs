using Repro.Data;
using Repro.Methods;
using Repro.Models;
using Repro.Models.Encoders;
using Repro.Models.Fusion;
using Repro.Training;
using TorchSharp;
using TorchSharp.Modules;
using static Repro.Tests.Methods.MethodTestKit;
using static TorchSharp.torch;

namespace Repro.Tests.Models;

public class MmtmTests
{
    const int Width = 2;

    /// <summary>Two tiny ResNet-18s (width 2): audio (B, 16, 16), visual clips (B, 3, T, 16, 16).</summary>
    public static ModelParts ResNetParts() => new(
        [Modalities.Audio, Modalities.Visual],
        m => m == Modalities.Audio ? new ResNet18(1, frames: false, Width) : new ResNet18(3, frames: true, Width),
        Classes);

    public static Batch ResNetBatch(int b = 6, int frames = 2, long seed = 5)
    {
        var g = new Generator((ulong)seed);
        var audio = randn([b, 16, 16], generator: g);
        var visual = randn([b, 3, frames, 16, 16], generator: g);
        var labels = randint(0, Classes, [b], generator: g, dtype: ScalarType.Int64);
        return Batch.FromTensors(new Dictionary<string, Tensor> { [Modalities.Audio] = audio, [Modalities.Visual] = visual }, labels);
    }

    static void Set(nn.Module module, string name, float[] values, params long[] shape)
    {
        using var noGrad = no_grad();
        module.state_dict()[name].copy_(tensor(values).reshape(shape));
    }

    static void AssertValues(double[] expected, Tensor actual, string what)
    {
        var got = actual.to_type(ScalarType.Float64).flatten().data<double>().ToArray();
        Assert.Equal(expected.Length, got.Length);
        for (int i = 0; i < got.Length; i++) Assert.True(Math.Abs(expected[i] - got[i]) < 1e-6, $"{what}[{i}]: expected {expected[i]}, got {got[i]}");
    }

    /// <summary>
    /// A = channels [1, 3] and [0, 2] (means 2, 1); B = [-2, 0] and [4, 4] (means -1, 4); squeeze (2, 1, -1, 4).
    /// fc_squeeze = I with bias (0, -2, 0, 0): Z = ReLU(2, -1, -1, 4) = (2, 0, 0, 4). fc_visual = [[0.5,0,0,0],[0,0,0,-0.25]]:
    /// E_A = (1, -1); fc_skeleton = [[0,0,0,0],[0,0,0,0.5]] with bias (0.5, 0): E_B = (0.5, 2).
    /// sigmoid(1) = 0.7310586, sigmoid(-1) = 0.2689414, sigmoid(0.5) = 0.6224593, sigmoid(2) = 0.8807971.
    /// </summary>
    [Theory]
    [InlineData(MmtmGate.Official, 1.0)]
    [InlineData(MmtmGate.Paper, 2.0)]
    public void MmtmSqueezesConcatenatesAndExcitesEachChannel(MmtmGate gate, double scale)
    {
        using var scope = NewDisposeScope();
        var mmtm = new Mmtm(2, 2, ratio: 2, gate);
        Assert.Equal(["fc_squeeze.weight", "fc_squeeze.bias", "fc_visual.weight", "fc_visual.bias", "fc_skeleton.weight", "fc_skeleton.bias"], mmtm.state_dict().Keys);
        Assert.Equal([4L, 4L], mmtm.state_dict()["fc_squeeze.weight"].shape);   // C_Z = int(2 * 4 / 2)
        Set(mmtm, "fc_squeeze.weight", [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1], 4, 4);
        Set(mmtm, "fc_squeeze.bias", [0, -2, 0, 0], 4);
        Set(mmtm, "fc_visual.weight", [0.5f, 0, 0, 0, 0, 0, 0, -0.25f], 2, 4);
        Set(mmtm, "fc_visual.bias", [0, 0], 2);
        Set(mmtm, "fc_skeleton.weight", [0, 0, 0, 0, 0, 0, 0, 0.5f], 2, 4);
        Set(mmtm, "fc_skeleton.bias", [0.5f, 0], 2);
        var a = tensor(new float[] { 1, 3, 0, 2 }).reshape(1, 2, 1, 2);   // a (B, C, H, W) map
        var b = tensor(new float[] { -2, 0, 4, 4 }).reshape(1, 2, 2);     // a (B, C, L) map: spatial sizes may differ
        var (outA, outB) = mmtm.call(a, b);
        double s1 = 0.7310586 * scale, sm1 = 0.2689414 * scale, s05 = 0.6224593 * scale, s2 = 0.8807971 * scale;
        AssertValues([1 * s1, 3 * s1, 0, 2 * sm1], outA, "A");
        AssertValues([-2 * s05, 0, 4 * s2, 4 * s2], outB, "B");
        Assert.Equal(a.shape, outA.shape);
        Assert.Equal(b.shape, outB.shape);
    }

    [Fact]
    public void TheRatioSetsTheSqueezeWidthAsTheOfficialConstructor()
    {
        Assert.Equal([6L, 12L], new Mmtm(4, 8, ratio: 4).state_dict()["fc_squeeze.weight"].shape);   // int(2 * 12 / 4)
        Assert.Equal([8L, 12L], new Mmtm(4, 8, ratio: 3).state_dict()["fc_squeeze.weight"].shape);   // int(8.0)
    }

    static void ZeroMmtms(MultimodalModel model)
    {
        using var noGrad = no_grad();
        foreach (var (name, p) in model.named_parameters())
            if (name.Contains(".mmtm")) p.zero_();
    }

    static MultimodalModel Build(ModelParts parts, MmtmSettings settings, out ResNet18[] resnets)
    {
        manual_seed(3);
        var encoders = parts.Encoders();
        resnets = encoders.Select(e => (ResNet18)e.Encoder).ToArray();
        return WeightInit.Apply(MmtmFusion.Model(encoders, parts.NumClasses, settings));   // the runs' initialisation
    }

    [Fact]
    public void WithGatesOfOneTheModelIsConcatenationOfTheTwoResNets()
    {
        using var scope = NewDisposeScope();
        var model = Build(ResNetParts(), new MmtmSettings(), out var resnets);
        var names = model.state_dict().Keys.ToList();
        Assert.Equal(names.Where(n => !n.Contains("running_") && !n.Contains("num_batches")), model.named_parameters().Select(p => p.name));
        Assert.Contains("audio_net.conv1.weight", names);
        Assert.Contains("visual_net.layer2.1.bn2.running_mean", names);
        Assert.DoesNotContain(names, n => n.StartsWith("audio_net.layer3") || n.StartsWith("visual_net.layer4"));
        Assert.Contains("fusion_module.audio_layer3.0.conv1.weight", names);
        Assert.Contains("fusion_module.visual_layer4.1.bn2.weight", names);
        Assert.Contains("fusion_module.mmtm2.fc_skeleton.bias", names);
        Assert.Equal([(long)Classes, 16L * Width], model.state_dict()["fusion_module.fc.weight"].shape);
        Assert.Equal(2 * Width, model.FeatureDim(Modalities.Audio));

        ZeroMmtms(model);   // paper gate: 2 sigmoid(0) = 1 on every channel
        model.eval();
        var batch = ResNetBatch();
        var maps = model.Encode(batch);
        Assert.Equal([6L, 2L * Width, 2L, 2L, 2L], maps[Modalities.Visual].shape);   // 16 -> 8 (conv1) -> 4 (maxpool) -> 2 (layer2)   // (B, 2w, T, h, w): frames kept
        var fc = (Linear)model.Head.named_children().Single(c => c.name == "fc").module;
        var expected = fc.call(cat([resnets[0].call(batch.Inputs[Modalities.Audio]), resnets[1].call(batch.Inputs[Modalities.Visual])], 1));
        AssertClose(expected, model.Head.Fuse(maps), 1e-5, "fused");
    }

    [Fact]
    public void UnimodalLogitsAreTheFusionModuleWithTheOtherMapZeroed()
    {
        using var scope = NewDisposeScope();
        var model = Build(ResNetParts(), new MmtmSettings(Gate: MmtmGate.Official), out _);
        model.eval();
        var maps = model.Encode(ResNetBatch());
        var a = maps[Modalities.Audio];
        var v = maps[Modalities.Visual];
        var audioOnly = model.Head.Fuse(new Dictionary<string, Tensor> { [Modalities.Audio] = a, [Modalities.Visual] = zeros_like(v) });
        var visualOnly = model.Head.Fuse(new Dictionary<string, Tensor> { [Modalities.Audio] = zeros_like(a), [Modalities.Visual] = v });
        AssertClose(audioOnly, model.Head.Unimodal(Modalities.Audio, maps), 0, "audio");
        AssertClose(visualOnly, model.Head.Unimodal(Modalities.Visual, maps), 0, "visual");
        Assert.True((audioOnly - model.Head.Fuse(maps)).abs().max().item<float>() > 1e-4, "zeroing the visual map should change the logits");
    }

    [Theory]
    [InlineData(MmtmUnimodalNorm.Batch)]
    [InlineData(MmtmUnimodalNorm.Running)]
    [InlineData(MmtmUnimodalNorm.Official)]
    public void AUnimodalPassNormalisesAndUpdatesTheBatchNormStatisticsAsItsOptionSays(MmtmUnimodalNorm norm)
    {
        using var scope = NewDisposeScope();
        var model = Build(ResNetParts(), new MmtmSettings(UnimodalNorm: norm), out _);
        model.train();
        var maps = model.Encode(ResNetBatch());
        var zeroed = new Dictionary<string, Tensor> { [Modalities.Audio] = maps[Modalities.Audio], [Modalities.Visual] = zeros_like(maps[Modalities.Visual]) };
        Tensor[] Stats() => model.Head.named_buffers().Select(b => b.buffer.clone()).ToArray();
        bool Unchanged(Tensor[] before) => before.Zip(Stats()).All(p => p.First.eq(p.Second).all().item<bool>());
        var before = Stats();

        using (no_grad()) model.Head.Unimodal(Modalities.Audio, maps);   // a measurement (what joint training logs): never moves them
        Assert.True(Unchanged(before), "a no-grad pass moved the running statistics");

        var logits = model.Head.Unimodal(Modalities.Audio, maps);        // a unimodal loss that trains (DGL)
        Assert.True(logits.requires_grad);
        Assert.Equal(norm == MmtmUnimodalNorm.Official, !Unchanged(before));
        model.Head.eval();
        var atTest = model.Head.Fuse(zeroed);
        model.Head.train();
        var inTraining = model.Head.Fuse(zeroed);                        // batch statistics (and, once more, an update)
        AssertClose(norm == MmtmUnimodalNorm.Running ? atTest : inTraining, logits, 1e-6, $"{norm} unimodal logits");
        Assert.True((atTest - inTraining).abs().max().item<float>() > 1e-4, "batch and running statistics should differ here");
    }

    [Fact]
    public void SharedStagesRunTheFirstStreamsLayer3AndLayer4OnBoth()
    {
        using var scope = NewDisposeScope();
        var model = Build(ResNetParts(), new MmtmSettings(SharedStages: true), out var resnets);
        Assert.DoesNotContain(model.state_dict().Keys, n => n.Contains("visual_layer"));
        ZeroMmtms(model);
        model.eval();
        var batch = ResNetBatch();
        var maps = model.Encode(batch);
        Tensor Stream(Tensor map) => FeatureMaps.Pool(FeatureMaps.PerFrame(resnets[0].Layer4.call, FeatureMaps.PerFrame(resnets[0].Layer3.call, map)));
        var fc = (Linear)model.Head.named_children().Single(c => c.name == "fc").module;
        var expected = fc.call(cat([Stream(maps[Modalities.Audio]), Stream(maps[Modalities.Visual])], 1));
        AssertClose(expected, model.Head.Fuse(maps), 1e-5, "fused with shared stages");
    }

    [Theory]
    [InlineData("joint")]
    [InlineData("ogm-ge")]
    [InlineData("gblending")]
    [InlineData("mmpareto")]
    [InlineData("agm")]
    [InlineData("dgl")]
    public void TheJointMethodsTrainAnMmtmModelWithoutSeparateHeads(string method)
    {
        using var scope = NewDisposeScope();
        var m = Create(method, ResNetParts(), options: [("fusion", "mmtm")]);
        Assert.IsType<MmtmFusion>(m.Model.Head);
        var before = Snapshot(m.Model.parameters());
        var step = m.TrainStep(ResNetBatch(), Context(m, optim.SGD(m.TrainableParameters(), 0.01), 0));
        Assert.All(step.Losses.Values, l => Assert.True(double.IsFinite(l), $"{method}: a loss is not finite"));
        Assert.Contains(m.Model.parameters().Zip(before), p => !p.First.allclose(p.Second));
    }

    [Fact]
    public void OgmModulatesTheEncodersUpToLayer2()
    {
        var ogm = (Repro.Methods.Ogm.Ogm)Create("ogm-ge", ResNetParts(), options: [("fusion", "mmtm")]);
        var audio = ogm.Modulated[Modalities.Audio].Select(x => x.Name).ToArray();
        Assert.Contains("audio_net.layer2.1.conv2.weight", audio);
        Assert.All(audio, n => Assert.StartsWith("audio_net.", n));
    }

    [Fact]
    public void OptionsBindAndAreRefusedWhereTheyDoNotApply()
    {
        var m = Create("joint", ResNetParts(), options: [("fusion", "mmtm"), ("mmtm_ratio", 4), ("mmtm_gate", "official")]);
        Assert.Equal([4L, 8L], m.Model.state_dict()["fusion_module.mmtm0.fc_squeeze.weight"].shape);   // int(2 (4 + 4) / 4)
        var e = Assert.Throws<ArgumentException>(() => Create("joint", ResNetParts(), options: [("mmtm_gate", "official")]));
        Assert.Contains("mmtm_gate applies to fusion=mmtm only", e.Message);
        e = Assert.Throws<ArgumentException>(() => Create("dgl", ResNetParts(), options: [("mmtm_unimodal_norm", "running")]));   // DGL shares the declaration
        Assert.Contains("mmtm_unimodal_norm applies to fusion=mmtm only (the fusion is concat)", e.Message);
        e = Assert.Throws<ArgumentException>(() => Create("joint", options: [("fusion", "mmtm")]));   // TinyConv encoders
        Assert.Contains("ResNet-18", e.Message);
        Assert.Contains("TinyConv", e.Message);
        foreach (var method in new[] { "pmr", "dr" })
            Assert.Contains("fusion=mmtm is not supported", Assert.Throws<ArgumentException>(() => Create(method, ResNetParts(), options: [("fusion", "mmtm")])).Message);
    }
}
