using TorchSharp;
using static TorchSharp.torch;
using Repro.Data;
using Repro.Training;

namespace Repro.Evaluation.Probes;

/// <summary>
/// The gradient each encoder is actually updated with, on every <see cref="Every"/>-th step: <c>{m}/grad_step</c> is
/// the L2 norm, over all of modality m's encoder parameters, of their .grad just before each optimizer step of the
/// sampled batch, so after whatever the method does to it (DGL's truncation, alpha and clip; OGM-GE's coefficient).
/// For joint training it is DGL's g^Multi (eq. 3), for DGL alpha g^Uni (eq. 15), for a model trained alone its own
/// loss's gradient: the quantity of DGL Fig. 1(c) and Fig. 3(b). An optimizer step that leaves all of m's encoder
/// without a gradient (another modality's turn in an alternating method) is not counted for m; under grad_reset=zero
/// such an encoder holds zeros, so that step counts with norm 0. Per epoch the summary is
/// the mean over the counted steps. It reads gradients only (no forward of its own), so training is unchanged; off by
/// default (RunSpec.Probes, `repro train --probe grad-step:1`).
/// </summary>
[StepProbe("grad-step")]
public sealed class GradientStepProbe : IStepProbe
{
    readonly EpochMeans _means = new();

    public GradientStepProbe(int every)
    {
        if (every < 1) throw new ArgumentOutOfRangeException(nameof(every), "The probe's sampling period must be at least 1 step.");
        Every = every;
    }

    public string Name => "grad-step";
    public int Every { get; }

    public void Observe(ITrainable method, Batch batch, StepContext ctx) { }

    public void ObserveGradients(ITrainable method, StepContext ctx)
    {
        _means.Add(Measure(method));
    }

    public Dictionary<string, double> EndEpoch() => _means.Take();

    /// <summary>"{m}/grad_step" for every modality whose encoder has a gradient now: the norm of all of it.</summary>
    public static Dictionary<string, double> Measure(ITrainable method)
    {
        var result = new Dictionary<string, double>();
        using var scope = NewDisposeScope();
        foreach (var m in method.Modalities)
        {
            var grads = method.Model.EncoderParameters(m).Select(p => p.grad).OfType<Tensor>().ToArray();
            if (grads.Length == 0) continue;
            result[$"{m}/grad_step"] = Math.Sqrt(grads.Sum(g => g.to_type(ScalarType.Float64).pow(2).sum().item<double>()));
        }
        return result;
    }
}
