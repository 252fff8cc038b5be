using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Repro.Models.Fusion;

/// <summary>
/// One block of the MLP-Mixer fusion (<see cref="MixerFusion"/>; CubeMLP's MLPsBlock, kiva12138/CubeMLP@6fbe6b2
/// MLPProcess.py, in its --ln_first form, without the time axis). Input (B, K, D): K modality rows of D values.
/// Modality mixing: X ← P_k(X) + Dropout(MLP_k(LN_k(X))) applied along K (each channel's K values); channel mixing:
/// X ← P_d(X) + Dropout(MLP_d(LN_d(X))) along D (each row's D values). MLP(x) = fc2(GELU(fc1(x))). As in CubeMLP each
/// LayerNorm normalises the axis its MLP mixes, and P is a bias-free Linear (res_projection_*) that maps the residual to
/// the output size. Output (B, K', D'). With <see cref="MixerNorm.Last"/> each LayerNorm instead follows its residual sum
/// (CubeMLP's forward_ln_last): X ← LN(P(X) + Dropout(MLP(X))).
/// </summary>
public sealed class MixerBlock : nn.Module<Tensor, Tensor>
{
    readonly LayerNorm ln_k;
    readonly Sequential mlp_k;
    readonly Dropout dropout_k;
    readonly Linear res_projection_k;
    readonly LayerNorm ln_d;
    readonly Sequential mlp_d;
    readonly Dropout dropout_d;
    readonly Linear res_projection_d;

    readonly bool _lnFirst;

    /// <param name="k">Rows in, hidden and out (the modality axis).</param>
    /// <param name="d">Values per row in, hidden and out (the channel axis).</param>
    public MixerBlock((int In, int Hidden, int Out) k, (int In, int Hidden, int Out) d, double dropout = 0.1, MixerNorm norm = MixerNorm.First) : base(nameof(MixerBlock))
    {
        bool lnFirst = _lnFirst = norm == MixerNorm.First;
        ln_k = nn.LayerNorm(lnFirst ? k.In : k.Out, eps: 1e-6);
        mlp_k = Mlp(k.In, k.Hidden, k.Out);
        dropout_k = nn.Dropout(dropout);
        res_projection_k = nn.Linear(k.In, k.Out, hasBias: false);
        ln_d = nn.LayerNorm(lnFirst ? d.In : d.Out, eps: 1e-6);
        mlp_d = Mlp(d.In, d.Hidden, d.Out);
        dropout_d = nn.Dropout(dropout);
        res_projection_d = nn.Linear(d.In, d.Out, hasBias: false);
        RegisterComponents();
    }

    static Sequential Mlp(int inputs, int hidden, int outputs) =>
        nn.Sequential(("fc1", nn.Linear(inputs, hidden)), ("activation", nn.GELU()), ("fc2", nn.Linear(hidden, outputs)));

    /// <summary>The modality-mixing and channel-mixing layers, for tests that set their weights.</summary>
    public (LayerNorm Ln, Linear Fc1, Linear Fc2, Linear Projection) ModalityMixing => (ln_k, (Linear)mlp_k[0], (Linear)mlp_k[2], res_projection_k);
    public (LayerNorm Ln, Linear Fc1, Linear Fc2, Linear Projection) ChannelMixing => (ln_d, (Linear)mlp_d[0], (Linear)mlp_d[2], res_projection_d);

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var t = x.transpose(1, 2);                                                        // (B, D, K): mix along K
        Tensor k, y;
        if (_lnFirst)
        {
            k = res_projection_k.call(t).add(dropout_k.call(mlp_k.call(ln_k.call(t)))).transpose(1, 2);
            y = res_projection_d.call(k).add(dropout_d.call(mlp_d.call(ln_d.call(k))));    // mix along D
        }
        else
        {
            k = ln_k.call(res_projection_k.call(t).add(dropout_k.call(mlp_k.call(t)))).transpose(1, 2);
            y = ln_d.call(res_projection_d.call(k).add(dropout_d.call(mlp_d.call(k))));
        }
        return y.MoveToOuterDisposeScope();
    }
}
