using Repro.Models.Transformers;
using Repro.Native;
using TorchSharp;

namespace Repro.Tests.Native;

/// <summary>data-manifests/checkpoints/u2a.json: its counts are those of the kit's full-size modules, its prefixes those the loader uses.</summary>
public class CheckpointManifestTests
{
    static torch.nn.Module<torch.Tensor, torch.Tensor> FullSize(string encoder, torch.Device device) => encoder switch
    {
        nameof(ClipVisionTransformer) => new ClipVisionTransformer(ClipVisionConfig.VitB16, device),
        nameof(BertModel) => new BertModel(BertConfig.BaseUncased, device),
        nameof(AstModel) => new AstModel(AstConfig.AudioSet, device),
        _ => throw new ArgumentException($"unknown encoder {encoder}"),
    };

    [Fact]
    public void TheU2aManifestMatchesTheFullSizeModulesAndTheLoader()
    {
        var m = CheckpointManifest.Load(Path.Combine(TestPaths.RepoRoot, "data-manifests", "checkpoints", "u2a.json"));
        Assert.Equal("u2a", m.Method);
        Assert.Equal(["weights_audio", "weights_image", "weights_text"], m.Checkpoints.Select(c => c.Option).Order());
        var meta = new torch.Device("meta");
        foreach (var c in m.Checkpoints)
        {
            using var module = FullSize(c.Encoder, meta);
            var state = module.state_dict();
            Assert.True(c.SubTreeTensors == state.Count, $"{c.Id}: manifest says {c.SubTreeTensors} tensors, the module has {state.Count}");
            long parameters = state.Values.Sum(t => t.numel());
            Assert.True(c.SubTreeParameters == parameters, $"{c.Id}: manifest says {c.SubTreeParameters} parameters, the module has {parameters}");
            Assert.Equal(PublishedCheckpoints.PrefixOf((ITokenEncoder)module), c.Prefix);
            // float32 weights: the file holds at least the sub-tree's 4 bytes per parameter
            Assert.True(c.SizeMegabytes * 1e6 > 4.0 * parameters, $"{c.Id}: {c.SizeMegabytes} MB cannot hold {parameters} float32 parameters");
            Assert.StartsWith("https://huggingface.co/" + c.Repository + "/", c.Url);
        }
    }

    [Fact]
    public void ABrokenManifestIsRefusedWithItsPath()
    {
        var path = Path.Combine(TestPaths.TempDir("ckpt-manifest"), "bad.json");
        File.WriteAllText(path, """{"method": "u2a", "checkpoints": [{"id": "x", "repository": "r", "file": "f", "url": "u", "encoder": "BertModel", "option": "weights_text", "prefix": "bert.", "subTreeTensors": 0, "subTreeParameters": 1, "sizeMegabytes": 1}]}""");
        var e = Assert.Throws<InvalidDataException>(() => CheckpointManifest.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("subTreeTensors", e.Message);
    }
}
