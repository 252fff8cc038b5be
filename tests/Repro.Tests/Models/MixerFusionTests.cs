using Repro.Data;
using Repro.Models.Fusion;
using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Tests.Models;

/// <summary>The MLP-Mixer fusion of DGL Table 2 (right): one block checked by hand, the head's shapes and its unimodal logits.</summary>
public class MixerFusionTests
{
    static void Set(TorchSharp.Modules.Linear l, float[] w, float[]? b = null)
    {
        using var noGrad = no_grad();
        l.weight!.copy_(tensor(w).reshape(l.weight.shape));
        if (b is not null) l.bias!.copy_(tensor(b));
    }

    [Fact]
    public void OneBlockMatchesTheHandComputation()
    {
        // K = 2 rows, D = 2 values; modality MLP 2 -> 1 -> 2, channel MLP 2 -> 1 -> 1; LayerNorm weight 1, bias 0 (its init)
        var block = new MixerBlock((2, 1, 2), (2, 1, 1), dropout: 0);
        block.eval();
        var (_, kFc1, kFc2, kProj) = block.ModalityMixing;
        Set(kFc1, [1, 2], [0]);
        Set(kFc2, [1, -1], [0.5f, 0]);
        Set(kProj, [1, 0, 0, 1]);
        var (_, dFc1, dFc2, dProj) = block.ChannelMixing;
        Set(dFc1, [1, 0], [0]);
        Set(dFc2, [2], [0.25f]);
        Set(dProj, [1, -1]);
        var x = tensor(new float[] { 1, 3, 2, 6 }).reshape(1, 2, 2);   // rows (modalities) [1, 3] and [2, 6]
        var y = block.call(x);
        // along K, per channel: LN([1, 2]) = LN([3, 6]) = [-1, 1]; fc1 -> 1; GELU(1) = 0.8413447; fc2 -> [1.3413447, -0.8413447];
        // plus the residual: rows [2.3413447, 4.3413447] and [1.1586553, 5.1586553].
        // along D, per row: LN = [-1, 1]; fc1 -> -1; GELU(-1) = -0.1586553; fc2 -> 2 (-0.1586553) + 0.25 = -0.0673106;
        // residual projection [1, -1]: -2 and -4; outputs -2.0673106 and -4.0673106.
        Assert.Equal([1L, 2, 1], y.shape);
        var v = y.data<float>().ToArray();
        Assert.Equal(-2.0673106, v[0], 4);
        Assert.Equal(-4.0673106, v[1], 4);
    }

    static readonly string[] Three = [Modalities.Audio, Modalities.Visual, Modalities.Text];

    static Dictionary<string, Tensor> Features(int b, int d, bool grad = false)
    {
        var g = new Generator(3);
        return Three.ToDictionary(m => m, m => randn([b, d], generator: g).requires_grad_(grad));
    }

    [Fact]
    public void FusesThreeModalitiesWithCubeMlpsSizes()
    {
        var head = new MixerFusion(Three, 128, 2);
        head.eval();
        Assert.Equal(96, head.Linear.in_features);   // 3 rows of 128 / 4 = 32 (CubeMLP's MOSI command)
        var names = head.named_parameters().Select(p => p.name).ToArray();
        Assert.Contains("layers_stack.0.mlp_k.fc1.weight", names);
        Assert.Contains("layers_stack.1.res_projection_d.weight", names);
        Assert.Equal([4L, 2], head.Fuse(Features(4, 128)).shape);
    }

    [Fact]
    public void UnimodalLogitsAreTheFusionWithTheOthersZeroed()
    {
        var head = new MixerFusion(Three, 8, 3);
        head.eval();
        var f = Features(5, 8, grad: true);
        var uni = head.Unimodal(Modalities.Visual, f);
        var zeroed = new Dictionary<string, Tensor> { [Modalities.Audio] = zeros(5, 8), [Modalities.Visual] = f[Modalities.Visual], [Modalities.Text] = zeros(5, 8) };
        Assert.True(uni.allclose(head.Fuse(zeroed), 1e-6, 1e-6));
        Assert.False(uni.allclose(head.Fuse(f), 1e-3, 1e-3));                 // the other rows do mix in when present
        uni.sum().backward();
        Assert.Null(f[Modalities.Audio].grad);                                 // only the kept modality's features get gradient
        Assert.True(f[Modalities.Visual].grad!.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void NormLastNormalisesEachResidualSum()
    {
        // the same block as above with the LayerNorms after the sums (CubeMLP's forward_ln_last): the output row is
        // LN over D of the projected sum: with D' = 2 each row is (-1, 1) or (1, -1), LayerNorm's weight 1 and bias 0
        var block = new MixerBlock((2, 1, 2), (2, 2, 2), dropout: 0, norm: MixerNorm.Last);
        block.eval();
        var y = block.call(tensor(new float[] { 1, 3, 2, 6 }).reshape(1, 2, 2));
        Assert.Equal([1L, 2, 2], y.shape);
        var rows = y.data<float>().ToArray();
        Assert.Equal(0, rows[0] + rows[1], 4);
        Assert.Equal(0, rows[2] + rows[3], 4);
        Assert.Equal(1, Math.Abs(rows[0]), 2);   // two values normalised: ±1 (eps aside)
    }

    [Fact]
    public void MixerNormIsRefusedWithAnotherFusion()
    {
        var o = new Repro.Methods.Joint.JointOptions { Fusion = FusionKind.Concat, MixerNorm = MixerNorm.Last };
        var e = Assert.Throws<ArgumentException>(() => o.MixerSettings());
        Assert.Contains("mixer_norm applies to fusion=mixer only", e.Message);
        Assert.Equal(MixerNorm.First, new Repro.Methods.Joint.JointOptions { Fusion = FusionKind.Mixer }.MixerSettings());
    }
}
