using Repro.Models.Transformers;
using Repro.Native;
using Repro.Tests.Methods;
using static TorchSharp.torch;

namespace Repro.Tests.Native;

/// <summary>Published-checkpoint loading: sub-tree by prefix, legacy names, and every mismatch named.</summary>
public class WeightLoaderTests : IDisposable
{
    readonly string _dir = TestPaths.TempDir("weights");
    public void Dispose() => Directory.Delete(_dir, true);

    static ClipVisionTransformer TinyClip(long seed)
    {
        var m = new ClipVisionTransformer(ClipVisionConfig.Tiny(8, 4, hidden: 8, layers: 2, heads: 2));
        MethodTestKit.Reinitialise(m, seed);
        return m;
    }

    /// <summary>A whole-CLIP-like file: the vision tower under vision_model., plus tensors of other sub-trees.</summary>
    string ClipFile(ClipVisionTransformer vision, Action<Dictionary<string, Tensor>>? edit = null)
    {
        var tensors = vision.state_dict().ToDictionary(kv => "vision_model." + kv.Key, kv => kv.Value);
        tensors["text_model.embeddings.token_embedding.weight"] = ones(5, 8);
        tensors["visual_projection.weight"] = ones(4, 8);
        tensors["logit_scale"] = tensor(2.6592f);
        tensors["vision_model.embeddings.position_ids"] = arange(5, dtype: ScalarType.Int64).unsqueeze(0);
        edit?.Invoke(tensors);
        var path = Path.Combine(_dir, $"clip-{Guid.NewGuid():N}.safetensors");
        Safetensors.Save(path, tensors);
        return path;
    }

    [Fact]
    public void TheVisionTowerRoundTripsBitForBitOutOfAWholeClipCheckpoint()
    {
        using var scope = NewDisposeScope();
        var source = TinyClip(1);
        var path = ClipFile(source);
        var target = TinyClip(2);
        var report = WeightLoader.Load(target, path, PublishedCheckpoints.ClipVision);
        Assert.True(report.IsComplete, report.Describe());
        var want = source.state_dict();
        Assert.Equal(want.Count, report.Loaded.Count);
        foreach (var (name, t) in target.state_dict())
            Assert.True(t.bytes.SequenceEqual(want[name].bytes), $"{name} differs after loading");

        var kitPath = Path.Combine(_dir, "kit.safetensors");
        WeightLoader.Save(source, kitPath, "vision_model.");
        Assert.All(Safetensors.ReadHeader(kitPath).Names, n => Assert.StartsWith("vision_model.", n));
        var again = TinyClip(3);
        WeightLoader.Load(again, kitPath, PublishedCheckpoints.ClipVision);
        foreach (var (name, t) in again.state_dict())
            Assert.True(t.bytes.SequenceEqual(want[name].bytes), $"{name} differs after the kit's own save and load");
    }

    [Fact]
    public void BertLegacyGammaAndBetaAndHalfPrecisionLoad()
    {
        using var scope = NewDisposeScope();
        var source = new BertModel(BertConfig.Tiny(50, 16, hidden: 8, layers: 1, heads: 2));
        MethodTestKit.Reinitialise(source, 4);
        var tensors = source.state_dict().ToDictionary(
            kv => "bert." + kv.Key.Replace("LayerNorm.weight", "LayerNorm.gamma").Replace("LayerNorm.bias", "LayerNorm.beta"),
            kv => kv.Value.to_type(ScalarType.BFloat16));
        tensors["cls.predictions.bias"] = zeros(50);
        Assert.Contains("bert.embeddings.LayerNorm.gamma", tensors.Keys);
        var path = Path.Combine(_dir, "bert.safetensors");
        Safetensors.Save(path, tensors);

        var target = new BertModel(BertConfig.Tiny(50, 16, hidden: 8, layers: 1, heads: 2));
        var report = WeightLoader.Load(target, path, PublishedCheckpoints.Bert);
        Assert.True(report.IsComplete, report.Describe());
        foreach (var (name, t) in target.state_dict())
        {
            Assert.Equal(ScalarType.Float32, t.dtype);
            var expected = source.state_dict()[name].to_type(ScalarType.BFloat16).to_type(ScalarType.Float32);
            Assert.True(t.equal(expected).all().item<bool>(), $"{name}: not the BF16 value widened");
        }
    }

    [Fact]
    public void ARenamedTensorIsReportedUnderBothNames()
    {
        var path = ClipFile(TinyClip(1), t =>
        {
            t["vision_model.encoder.layers.1.self_attn.q_proj.weights"] = t["vision_model.encoder.layers.1.self_attn.q_proj.weight"];
            t.Remove("vision_model.encoder.layers.1.self_attn.q_proj.weight");
        });
        var target = TinyClip(2);
        var before = target.state_dict()["encoder.layers.0.mlp.fc1.weight"].clone();
        var e = Assert.Throws<InvalidDataException>(() => WeightLoader.Load(target, path, PublishedCheckpoints.ClipVision));
        Assert.Contains(path, e.Message);
        Assert.Contains("missing from the file: encoder.layers.1.self_attn.q_proj.weight", e.Message);
        Assert.Contains("unexpected in the file: vision_model.encoder.layers.1.self_attn.q_proj.weights", e.Message);
        Assert.True(target.state_dict()["encoder.layers.0.mlp.fc1.weight"].equal(before).all().item<bool>(), "a refused load must copy nothing");
    }

    [Fact]
    public void AMissingTensorIsNamed()
    {
        var path = ClipFile(TinyClip(1), t => t.Remove("vision_model.post_layernorm.bias"));
        var e = Assert.Throws<InvalidDataException>(() => WeightLoader.Load(TinyClip(2), path, PublishedCheckpoints.ClipVision));
        Assert.Contains("1 missing from the file: post_layernorm.bias", e.Message);
        Assert.DoesNotContain("unexpected", e.Message);
    }

    [Fact]
    public void AMisShapedTensorIsNamedWithBothShapes()
    {
        var path = ClipFile(TinyClip(1), t => t["vision_model.embeddings.position_embedding.weight"] = zeros(7, 8));
        var e = Assert.Throws<InvalidDataException>(() => WeightLoader.Load(TinyClip(2), path, PublishedCheckpoints.ClipVision));
        Assert.Contains("vision_model.embeddings.position_embedding.weight: file shape [7, 8], module 'embeddings.position_embedding.weight' expects [5, 8]", e.Message);
    }

    [Fact]
    public void AllowingTheMismatchLoadsTheRestAndReportsIt()
    {
        using var scope = NewDisposeScope();
        var source = TinyClip(1);
        var path = ClipFile(source, t =>
        {
            t.Remove("vision_model.post_layernorm.bias");
            t["vision_model.pre_layrnorm.weight"] = zeros(3);
        });
        var target = TinyClip(2);
        var report = WeightLoader.Load(target, path, PublishedCheckpoints.ClipVision with { AllowMismatch = true });
        Assert.Equal(["post_layernorm.bias"], report.Missing);
        Assert.Equal("pre_layrnorm.weight", Assert.Single(report.Mismatched).Name);
        Assert.Empty(report.Unexpected);
        Assert.True(target.state_dict()["encoder.layers.1.mlp.fc2.weight"].equal(source.state_dict()["encoder.layers.1.mlp.fc2.weight"]).all().item<bool>());
        Assert.False(target.state_dict()["post_layernorm.bias"].equal(source.state_dict()["post_layernorm.bias"]).all().item<bool>());
    }

    [Fact]
    public void AFileWithoutTheSubTreeIsRefusedWithItsRoots()
    {
        var path = Path.Combine(_dir, "other.safetensors");
        Safetensors.Save(path, new Dictionary<string, Tensor> { ["text_model.x"] = ones(2) });
        var e = Assert.Throws<InvalidDataException>(() => WeightLoader.Load(TinyClip(1), path, PublishedCheckpoints.ClipVision));
        Assert.Contains("'vision_model.'", e.Message);
        Assert.Contains("text_model.", e.Message);
    }

    [Fact]
    public void SelectiveLoadReadsOnlyTheChosenTensors()
    {
        using var scope = NewDisposeScope();
        var path = ClipFile(TinyClip(1));
        var some = Safetensors.Load(path, n => n.StartsWith("visual_", StringComparison.Ordinal) || n == "logit_scale");
        Assert.Equal(["logit_scale", "visual_projection.weight"], some.Keys.Order(StringComparer.Ordinal));
    }
}
