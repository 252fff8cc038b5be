using Repro.Native;
using Repro.Training;
using static TorchSharp.torch;

namespace Repro.Tests.Training;

public class CheckpointLoadTests
{
    sealed class Wrapper : nn.Module<Tensor, Tensor>
    {
        readonly nn.Module<Tensor, Tensor> backbone = nn.Linear(3, 2);
        public Wrapper() : base(nameof(Wrapper)) => RegisterComponents();
        public override Tensor forward(Tensor x) => backbone.call(x);
    }

    [Fact]
    public void ACheckpointWithTheOldBackingFieldDuplicatesLoadsAndAnyOtherExtraTensorIsRefused()
    {
        using var scope = NewDisposeScope();
        var dir = TestPaths.TempDir("checkpoint-load");
        using var saved = new Wrapper();
        var state = saved.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
        // U2A's encoders before 2026-12-07 also wrote each backbone tensor under the auto-property's backing field
        foreach (var (k, v) in state.ToList()) state["<Backbone>k__BackingField." + k["backbone.".Length..]] = v.clone();
        var path = Path.Combine(dir, "old.safetensors");
        Safetensors.Save(path, state);
        using var model = new Wrapper();
        Checkpoints.LoadModel(model, path);
        Assert.True(model.state_dict()["backbone.weight"].eq(saved.state_dict()["backbone.weight"]).all().item<bool>());

        state["<Head>k__BackingField.weight"] = zeros(2, 3);   // no "head.weight" to be a copy of
        Safetensors.Save(path, state);
        var e = Assert.Throws<InvalidDataException>(() => Checkpoints.LoadModel(model, path));
        Assert.Contains("unexpected: <Head>k__BackingField.weight", e.Message);
    }
}
