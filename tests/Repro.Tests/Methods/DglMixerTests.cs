using Repro.Data;
using Repro.Methods;
using Repro.Methods.Dgl;
using Repro.Models.Encoders;
using TorchSharp.Modules;
using static Repro.Tests.Methods.MethodTestKit;
using static TorchSharp.torch;

namespace Repro.Tests.Methods;

/// <summary>
/// DGL on three modalities with the MLP-Mixer fusion (Table 2, right): each encoder gets alpha times the gradient of its
/// own unimodal loss, the mixer run with the other two modalities' features set to 0 (written out here, not through
/// Unimodal); the mixer gets only the gradient of the fused loss on detached features (DGL eq. 9-15).
/// </summary>
[Collection(Repro.Tests.Training.TrainingCollection.Name)]
public class DglMixerTests
{
    static readonly string[] Three = [Modalities.Audio, Modalities.Visual, Modalities.Text];

    [Fact]
    public void EachEncoderGetsAlphaTimesItsOwnZeroedLossAndTheMixerTheFusedOne()
    {
        const double alpha = 1.5;
        int[] dims = [3, 4, 6];
        var parts = new ModelParts(Three, m => new TinyMlp(dims[Array.IndexOf(Three, m)], 5, 8), Classes);
        var method = (Dgl)Create("dgl", parts, options: [("fusion", "mixer"), ("alpha", alpha), ("grad_clip_norm", 0.0)]);
        method.Model.Head.eval();   // the mixer's dropout off, so the reference passes below see the same network
        var g = new Generator(11);
        var batch = Batch.FromTensors(Three.Select((m, i) => (m, randn([6, dims[i]], generator: g))).ToDictionary(p => p.m, p => p.Item2),
            randint(0, Classes, [6], generator: g, dtype: ScalarType.Int64));
        method.TrainStep(batch, FrozenContext(method));
        var after = method.Model.named_parameters().ToDictionary(np => np.name, np => np.parameter.grad?.clone());

        var f = method.Model.Encode(batch);
        Tensor uni = zeros(1);
        foreach (var m in Three)
        {
            var only = Three.ToDictionary(k => k, k => k == m ? f[k] : zeros_like(f[k]));
            uni = uni + nn.functional.cross_entropy(method.Model.Head.Fuse(only), batch.Labels);
        }
        var encoders = method.Model.named_parameters().Where(np => !np.name.StartsWith("fusion_module.")).ToList();
        var expected = Grads(uni * alpha, encoders.Select(np => np.parameter).ToList());
        for (int i = 0; i < encoders.Count; i++) AssertClose(expected[i]!, after[encoders[i].name]!, 1e-6, encoders[i].name);

        var fused = nn.functional.cross_entropy(method.Model.Head.Fuse(f.ToDictionary(kv => kv.Key, kv => kv.Value.detach())), batch.Labels);
        var head = method.Model.named_parameters().Where(np => np.name.StartsWith("fusion_module.")).ToList();
        Assert.Contains(head, np => np.name.StartsWith("fusion_module.layers_stack.1.mlp_d"));
        var expectedHead = Grads(fused, head.Select(np => np.parameter).ToList());
        for (int i = 0; i < head.Count; i++) AssertClose(expectedHead[i]!, after[head[i].name]!, 1e-6, head[i].name);
    }
}
