using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Repro.Methods.Mla;

/// <summary>Which head gradient modification (HGM) MLA runs; see <see cref="MlaProjector"/>.</summary>
public enum HgmMode
{
    [Choice("paper", "MLA eq. 3-5: recursive least squares with the scalar denominator alpha + r P r^T; the head weight gradient is replaced by its projection")]
    Paper,
    [Choice("official", "the official GSPlugin (utils/utils.py 24-38): element-wise division by alpha + k r, Frobenius normalisation, gradient replaced by G P^T")]
    Official,
    [Choice("released", "what the public code runs: its guard never matches, so nothing is projected and P stays the identity")]
    Released,
    [Choice("balancebenchmark", "BalanceBenchmark's MLA_trainer.py GSPlugin: the official P update, but the projection is added: G + G P^T")]
    BalanceBenchmark,
    [Choice("off", "no head gradient modification (the HGM ✗ columns of MLA Table 3)")]
    Off,
}

/// <summary>
/// MLA's gradient modification matrix P (MLA §3.2 eq. 3-5; official utils/utils.py GSPlugin; BalanceBenchmark
/// MLA_trainer.py GSPlugin 30-53). One P (d x d, the identity at the start) serves every modality and persists across
/// batches and epochs. Each modality step, after that step's backward and before its optimizer step,
/// <see cref="BeforeUpdate"/> updates P with the batch-mean feature r of the step's modality and then rewrites the
/// gradient of the head's weight (the bias is never touched). The very first modality step of training is left alone
/// (eq. 3's t = 0 case; the official counter `train_exp_counter != 0`).
/// </summary>
public sealed class MlaProjector
{
    Tensor _p;

    public MlaProjector(int dim, HgmMode mode, double? constantAlpha = null)
    {
        if (constantAlpha is { } a && !(a > 0))
            throw new ArgumentException($"MLA: hgm_alpha={a} must be positive.");
        Mode = mode;
        ConstantAlpha = constantAlpha;
        _p = eye(dim, dtype: ScalarType.Float32).DetachFromDisposeScope();
    }

    public HgmMode Mode { get; }
    /// <summary>A constant alpha (option hgm_alpha); null uses the official schedule <see cref="ScheduledAlpha"/>.</summary>
    public double? ConstantAlpha { get; }
    /// <summary>The projector, d x d float32.</summary>
    public Tensor P => _p;
    /// <summary>Modality steps seen so far (the official exp_count), over the whole run.</summary>
    public long Steps { get; set; }

    /// <summary>The official alpha = 0.1^(b/len + 1) (utils/utils.py 24-25): 0.1 at each epoch's first batch, falling towards 0.01.</summary>
    public static double ScheduledAlpha(int batchIndex, int batchesPerEpoch) => Math.Pow(0.1, (double)batchIndex / batchesPerEpoch + 1);

    public double Alpha(int batchIndex, int batchesPerEpoch) => ConstantAlpha ?? ScheduledAlpha(batchIndex, batchesPerEpoch);

    /// <summary>
    /// MLA eq. 5 with h = r^T (r: 1 x d): q = P h / (alpha + h^T P h); P' = P - q h^T P. The denominator is a scalar,
    /// so P stays symmetric positive semi-definite and P' r = P r * alpha / (alpha + r P r^T).
    /// </summary>
    public static Tensor PaperUpdate(Tensor p, Tensor r, double alpha)
    {
        using var scope = NewDisposeScope();
        var h = r.reshape(-1, 1);
        var ph = p.mm(h);
        var q = ph / (h.t().mm(ph) + alpha);
        return (p - q.mm(h.t().mm(p))).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The official update (utils/utils.py 31-36; BalanceBenchmark MLA_trainer.py 46-52): k = P r^T;
    /// P' = P - (k k^T) / (alpha + k r) where k r is the d x d OUTER product and the division element-wise; P' /= ||P'||_F.
    /// </summary>
    public static Tensor OfficialUpdate(Tensor p, Tensor r, double alpha)
    {
        using var scope = NewDisposeScope();
        var row = r.reshape(1, -1);
        var k = p.mm(row.t());
        var next = p - k.mm(k.t()) / (k.mm(row) + alpha);
        return (next / next.norm()).MoveToOuterDisposeScope();
    }

    /// <summary>The head weight gradient G (C x d) after modification: G P^T (paper, official), G + G P^T (BalanceBenchmark), G otherwise.</summary>
    public static Tensor ModifyGradient(HgmMode mode, Tensor g, Tensor p) => mode switch
    {
        HgmMode.Paper or HgmMode.Official => g.mm(p.t()),
        HgmMode.BalanceBenchmark => g + g.mm(p.t()),
        _ => g.clone(),
    };

    /// <summary>
    /// One modality step's HGM (official GSPlugin.before_update): skipped at the run's first modality step; otherwise P is
    /// updated with r = the batch mean of <paramref name="features"/> (values only), then the gradient of
    /// <paramref name="weight"/> is rewritten in place. Counts the step in every mode.
    /// </summary>
    public void BeforeUpdate(Parameter weight, Tensor features, int batchIndex, int batchesPerEpoch)
    {
        long step = Steps++;
        if (step == 0 || Mode is HgmMode.Released or HgmMode.Off) return;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        if (_p.device != features.device) _p = _p.to(features.device).DetachFromDisposeScope();
        var r = features.detach().mean([0], keepdim: true);
        double alpha = Alpha(batchIndex, batchesPerEpoch);
        _p.copy_(Mode == HgmMode.Paper ? PaperUpdate(_p, r, alpha) : OfficialUpdate(_p, r, alpha));
        var g = weight.grad ?? throw new InvalidOperationException("MLA HGM: the head weight has no gradient (call it after backward).");
        g.copy_(ModifyGradient(Mode, g, _p));
    }

    public void Load(Tensor p, long steps)
    {
        using var noGrad = no_grad();
        if (!p.shape.SequenceEqual(_p.shape))
            throw new InvalidDataException($"MLA: saved projector has shape ({string.Join(",", p.shape)}), expected ({string.Join(",", _p.shape)}).");
        _p.copy_(p);
        Steps = steps;
    }
}
