using Repro.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Repro.Training;

namespace Repro.Evaluation.Probes;

/// <summary>
/// DGL's gradient suppression (Wei et al., ICCV 2025, §3.1, eq. 3-8, Fig. 1(c) and Fig. 3), measured on every
/// <see cref="Every"/>-th step, before the method's own step, on a separate forward of the same batch:
/// <list type="bullet">
/// <item><c>{m}/grad_fused</c>: the L2 norm (over all of the encoder's parameters) of the gradient of the multimodal
/// loss CE(head.Fuse(z)) with respect to modality m's encoder (DGL's g^Multi; the fused path is not truncated here, so
/// for DGL it is the gradient the method chooses not to use).</item>
/// <item><c>{m}/grad_unimodal</c>: the same norm for the unimodal loss CE(head.Unimodal(m, z)) (DGL's g^Uni).</item>
/// <item><c>{m}/zeta</c>: the suppression factor of eq. 3-6 and Fig. 3(a), s = exp((W_k - W_y) z) of the other
/// modalities' part of the logits, averaged over the batch and over k != y. For any head it is computed as
/// exp(c_k - c_y) with c = Fuse(z) - Fuse(z with every modality but m zeroed), the other modalities' contribution to
/// the fused logits; for concatenation and summation heads this is exactly (W_k^{-m} - W_y^{-m}) z^{-m}. Values below 1
/// mean the fused loss passes m's encoder a smaller gradient than m's unimodal loss would (eq. 8).
/// Single-label data only (multi-label batches skip zeta).</item>
/// </list>
/// Gradients come from torch.autograd.grad, so no parameter's .grad is touched; running statistics (BatchNorm) are
/// saved before the probe's forward and restored after it, so observing does not change training. Per epoch the
/// summary is the mean over the sampled steps. Off by default; a run asks for it (RunSpec.Probes,
/// `repro train --probe grad-suppression:10`).
/// </summary>
[StepProbe("grad-suppression")]
public sealed class GradientSuppressionProbe : IStepProbe
{
    readonly EpochMeans _means = new();

    public GradientSuppressionProbe(int every)
    {
        if (every < 1) throw new ArgumentOutOfRangeException(nameof(every), "The probe's sampling period must be at least 1 step.");
        Every = every;
    }

    public string Name => "grad-suppression";
    public int Every { get; }

    public void Observe(ITrainable method, Batch batch, StepContext ctx)
    {
        _means.Add(Measure(method, batch));
    }

    public Dictionary<string, double> EndEpoch() => _means.Take();

    /// <summary>One measurement on one batch, leaving parameters, gradients and buffers as they were.</summary>
    public static Dictionary<string, double> Measure(ITrainable method, Batch batch)
    {
        var model = method.Model;
        var result = new Dictionary<string, double>();
        using var scope = NewDisposeScope();
        var buffers = model.named_buffers().Select(b => (b.buffer, Saved: b.buffer.detach().clone())).ToList();
        try
        {
            using var enable = enable_grad();
            var features = model.Encode(batch);
            var head = model.Head;
            var fusedLoss = Loss(head.Fuse(features), batch);
            foreach (var m in method.Modalities)
            {
                var parameters = model.EncoderParameters(m).Where(p => p.requires_grad).ToArray();
                if (parameters.Length == 0) continue;
                result[$"{m}/grad_fused"] = GradNorm(fusedLoss, parameters);
                result[$"{m}/grad_unimodal"] = GradNorm(Loss(head.Unimodal(m, features), batch), parameters);
            }
            if (batch.Targets is null && method.Modalities.Count > 1)
            {
                using var noGrad = no_grad();
                var detached = features.ToDictionary(kv => kv.Key, kv => kv.Value.detach());
                var fused = head.Fuse(detached);
                foreach (var m in method.Modalities)
                {
                    var only = detached.ToDictionary(kv => kv.Key, kv => kv.Key == m ? kv.Value : zeros_like(kv.Value));
                    result[$"{m}/zeta"] = Zeta(fused - head.Fuse(only), batch.Labels);
                }
            }
        }
        finally
        {
            using var noGrad = no_grad();
            foreach (var (buffer, saved) in buffers) buffer.copy_(saved);
        }
        return result;
    }

    /// <summary>mean over samples i and classes k != y_i of exp(c_ik - c_iy) (DGL eq. 4-6).</summary>
    public static double Zeta(Tensor contribution, Tensor labels)
    {
        using var scope = NewDisposeScope();
        var c = contribution.to_type(ScalarType.Float64);
        long n = c.shape[0], classes = c.shape[1];
        if (classes < 2) return double.NaN;
        var cy = c.gather(1, labels.unsqueeze(1));
        var s = (c - cy).exp();
        var notTrue = ones_like(s).scatter(1, labels.unsqueeze(1), zeros_like(cy));
        return ((s * notTrue).sum() / (n * (classes - 1))).item<double>();
    }

    static Tensor Loss(Tensor logits, Batch batch) => batch.Targets is null
        ? nn.functional.cross_entropy(logits, batch.Labels)
        : nn.functional.binary_cross_entropy_with_logits(logits, batch.Targets);

    /// <summary>||d loss / d parameters||_2 over all the given parameters, without touching their .grad.</summary>
    static double GradNorm(Tensor loss, Parameter[] parameters)
    {
        if (!loss.requires_grad) return 0;
        var grads = torch.autograd.grad([loss], parameters.Cast<Tensor>().ToArray(), retain_graph: true, allow_unused: true);
        double sq = 0;
        foreach (var g in grads.Where(g => !g.IsInvalid))   // an undefined gradient: the loss does not reach that parameter
            sq += g.to_type(ScalarType.Float64).pow(2).sum().item<double>();
        return Math.Sqrt(sq);
    }
}
