using Repro.Data;
using Repro.Methods;
using static Repro.Tests.Methods.MethodTestKit;
using static TorchSharp.torch;
using Repro.Methods.Dgl;

namespace Repro.Tests.Methods.EndToEnd;

/// <summary>
/// DGL's default step (truncation=both, DGL eq. 9-15) with a real optimizer step and active clipping: every encoder
/// parameter moves by -lr * c * alpha * d(sum_m L_m)/d theta and every head parameter by -lr * c * dL_fused/d phi on
/// detached features, with c = min(max_norm / (||all those gradients|| + 1e-6), 1) the global clip; autograd on fresh graphs.
/// </summary>
[Collection(Repro.Tests.Training.TrainingCollection.Name)]
public class DglPaperPathTests
{
    [Theory]
    [InlineData("concat")]
    [InlineData("film")]
    public void OneStepMovesTheEncodersByAlphaTimesTheUnimodalGradientAndTheHeadByTheFusedOne(string fusion)
    {
        using var scope = NewDisposeScope();
        const double alpha = 3, lr = 0.2, clip = 0.1;
        var dgl = (Dgl)Create("dgl", seed: 4, options: [("fusion", fusion), ("alpha", alpha), ("grad_clip_norm", clip)]);
        var batch = RandomBatch(6, seed: 17);
        var encoders = dgl.Model.named_parameters().Where(np => !np.name.StartsWith("fusion_module.")).Select(np => np.parameter).ToList();
        var head = dgl.Model.named_parameters().Where(np => np.name.StartsWith("fusion_module.")).Select(np => np.parameter).ToList();

        var f = dgl.Model.Encode(batch);
        var unimodal = new[] { Modalities.Audio, Modalities.Visual }
            .Select(m => nn.functional.cross_entropy(dgl.Model.Head.Unimodal(m, f), batch.Labels)).Aggregate((a, b) => a + b) * alpha;
        var detached = f.ToDictionary(kv => kv.Key, kv => kv.Value.detach());
        var fused = nn.functional.cross_entropy(dgl.Model.Head.Fuse(detached), batch.Labels);
        var gEnc = Grads(unimodal, encoders);
        var gHead = Grads(fused, head);
        var all = gEnc.Concat(gHead).Where(g => g is not null).Select(g => g!).ToArray();
        double total = Math.Sqrt(all.Sum(g => g.pow(2).sum().item<float>()));
        double c = Math.Min(clip / (total + 1e-6), 1);
        Assert.True(c < 1, $"the clip should be active (norm {total})");
        var expectedEnc = encoders.Select((p, i) => p.detach() - lr * c * (gEnc[i] ?? zeros_like(p))).ToArray();
        var expectedHead = head.Select((p, i) => p.detach() - lr * c * (gHead[i] ?? zeros_like(p))).ToArray();

        using var sgd = optim.SGD(dgl.TrainableParameters(), lr);
        dgl.TrainStep(batch, Context(dgl, sgd, 0));
        for (int i = 0; i < encoders.Count; i++) AssertClose(expectedEnc[i], encoders[i], 1e-6, $"{fusion}: encoder parameter {i}");
        for (int i = 0; i < head.Count; i++) AssertClose(expectedHead[i], head[i], 1e-6, $"{fusion}: head parameter {i}");
    }
}
