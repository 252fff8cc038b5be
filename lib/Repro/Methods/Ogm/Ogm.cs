using Repro.Data;
using Repro.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Repro.Training;

namespace Repro.Methods.Ogm;

/// <summary>
/// A draw of OGM-GE's Gaussian noise for one parameter at one step: a tensor shaped like <paramref name="grad"/> with
/// mean 0 and standard deviation <paramref name="std"/> (std of the unscaled gradient + 1e-8, as a double).
/// </summary>
public delegate Tensor OgmNoiseSource(string parameter, Tensor grad, double std, long globalStep);

/// <summary>
/// On-the-fly Gradient Modulation with Generalisation Enhancement (Peng et al., CVPR 2022;
/// GeWu-Lab/OGM-GE_CVPR2022@343dc1d main.py 57-161). Joint training on the fused loss; after the backward, each
/// modality's discrepancy ratio from the batch sums of the softmax probability of the true class under its unimodal
/// logits (concat: the modality's block of fc_out with bias/M; sum: its own layer with the full bias); the dominant
/// modality's encoder gradients are scaled by 1 - tanh(alpha * ratio) (main.py 105-124); OGM_GE adds Gaussian noise
/// N(0, std(unscaled grad) + 1e-8) to both encoders at every step of the window (main.py 137-148).
/// <para>Options (defaults = the authors' code, docs/decisions.md#defaults):</para>
/// <list type="bullet">
/// <item><c>variant</c> = OGM_GE (default, main.py's default) | OGM (scaling only) | balancebenchmark
/// (GeWu-Lab/BalanceBenchmark@4c1482f OGM_trainer.py: ratio score_m/(score_other + 1e-5), coefficient clipped at 0
/// and computed for each modality independently, every non-1-D encoder parameter modulated; its <c>method</c> option
/// is OGM_GE (default; the only mode that runs there) or OGM, the noise-free mode BalanceBenchmark cannot reach).</item>
/// <item><c>alpha</c> (default 0.8, the README's CREMA-D value; 0.1 for VGGSound).</item>
/// <item><c>modulation_starts</c>, <c>modulation_ends</c> (default 0 and 50): 0-based epochs, both inclusive.</item>
/// <item><c>modulate</c> = conv4d (default for OGM/OGM_GE: only 4-D gradients, i.e. convolution weights, as main.py
/// 133-143) | non1d (default for balancebenchmark: every encoder parameter that is not 1-D, BalanceBenchmark's rule,
/// for encoders without convolutions). Parameters are selected by module reference (each modality's encoder), not by
/// the official code's DataParallel name strings.</item>
/// <item><c>fusion</c> = concat (default) | sum | film | gated: film and gated use the head's unimodal logits with the
/// other modality zeroed (the official train_epoch cannot train these heads).</item>
/// </list>
/// With three or more modalities every variant uses BalanceBenchmark's generalisation: ratio_m = score_m /
/// (min over the other modalities' scores + 1e-5), each modality's coefficient computed independently.
/// Undefined on multi-label data (true-class scores): refused. The noise is drawn from torch's global generator
/// (a zero tensor filled by normal_, as main.py does) unless <see cref="Noise"/> is replaced (parity replays hand in
/// the recorded draws).
/// Logged: loss, loss_a, loss_v, ... (unimodal losses, not trained on), coeff_a, coeff_v, ... (the step's coefficients).
/// </summary>
[Method("ogm", "On-the-fly gradient modulation (OGM-GE), variant=OGM_GE|OGM|balancebenchmark")]
[MethodAlias("ogm-ge", "ogm", "variant=OGM_GE")]
[MethodAlias("ogmge", "ogm", "variant=OGM_GE")]
[MethodAlias("ogm-bb", "ogm", "variant=balancebenchmark")]
public sealed class Ogm : Method
{
    readonly OgmVariant _variant;
    readonly bool _noise;
    readonly float _alpha;
    readonly int _starts, _ends;
    readonly Dictionary<string, (string Name, Parameter P)[]> _modulated;

    Ogm(MultimodalModel model, OgmOptions options, OgmVariant variant, bool noise, double alpha, int starts, int ends,
        Dictionary<string, (string, Parameter)[]> modulated) : base(model, options)
    {
        _variant = variant;
        _noise = noise;
        _alpha = (float)alpha;
        _starts = starts;
        _ends = ends;
        _modulated = modulated;
    }

    /// <summary>Where GE noise comes from; by default torch's global generator (zeros_like(g).normal_(0, std)).</summary>
    public OgmNoiseSource Noise { get; set; } = (_, grad, std, _) => zeros_like(grad).normal_(0, std);

    /// <summary>The parameters modulated for each modality, with their state-dict names.</summary>
    public IReadOnlyDictionary<string, (string Name, Parameter P)[]> Modulated => _modulated;

    public static Ogm Create(OgmOptions o, ModelParts parts)
    {
        if (parts.MultiLabel)
            throw new ArgumentException("Method ogm: OGM-GE's discrepancy ratio uses the softmax probability of the true class, which multi-label data does not have.");
        var variant = o.Variant;
        if (o.Method is not null && variant != OgmVariant.BalanceBenchmark)
            throw new ArgumentException("Method ogm: option method applies to variant=balancebenchmark only.");
        bool noise = variant == OgmVariant.OgmGe || (variant == OgmVariant.BalanceBenchmark && (o.Method ?? OgmMode.OgmGe) == OgmMode.OgmGe);
        var modulate = o.Modulate ?? (variant == OgmVariant.BalanceBenchmark ? OgmModulate.Non1d : OgmModulate.Conv4d);
        if (parts.Modalities.Count < 2) throw new ArgumentException("Method ogm needs at least two modalities.");

        var model = parts.FusionModel(o);
        var modulated = new Dictionary<string, (string, Parameter)[]>();
        foreach (var m in parts.Modalities)
        {
            var net = Data.Modalities.NetName(m);
            var chosen = model.Encoder(m).named_parameters()
                .Where(np => modulate == OgmModulate.Conv4d ? np.parameter.dim() == 4 : np.parameter.dim() != 1)
                .Select(np => ($"{net}.{np.name}", np.parameter)).ToArray();
            if (chosen.Length == 0)
                throw new ArgumentException($"Method ogm: the {m} encoder has no {(modulate == OgmModulate.Conv4d ? "4-D (convolution)" : "non-1-D")} parameter to modulate" +
                                            (modulate == OgmModulate.Conv4d ? "; use modulate=non1d (BalanceBenchmark's rule) for encoders without convolutions." : "."));
            modulated[m] = chosen;
        }
        return new Ogm(model, o, variant, noise, o.Alpha, o.ModulationStarts, o.ModulationEnds, modulated);
    }

    public override StepResult TrainStep(Batch batch, StepContext ctx)
    {
        ctx.ZeroGrad();
        var features = Model.Encode(batch);
        var loss = TaskLoss(Model.Head.Fuse(features), batch);
        var result = new StepResult().Add("loss", loss);
        var scores = new Dictionary<string, float>();
        using (no_grad())
        {
            var detached = features.ToDictionary(kv => kv.Key, kv => kv.Value.detach());
            foreach (var m in Modalities)
            {
                var logits = Model.Head.Unimodal(m, detached);
                result.Add("loss_" + Data.Modalities.Tag(m), TaskLoss(logits, batch));
                scores[m] = TrueClassScore(logits, batch.Labels);
            }
        }
        loss.backward();

        var coeff = Coefficients(scores);
        foreach (var m in Modalities) result.Add("coeff_" + Data.Modalities.Tag(m), coeff[m]);
        if (_starts <= ctx.Epoch && ctx.Epoch <= _ends)        // main.py 132: inclusive, 0-based
            Modulate(coeff, ctx.GlobalStep);
        ctx.Step();
        return result;
    }

    /// <summary>sum_i softmax(logits)_i[y_i], summed sample by sample in float32 as main.py 105-106 does.</summary>
    public static float TrueClassScore(Tensor logits, Tensor labels)
    {
        using var scope = NewDisposeScope();
        var p = nn.functional.softmax(logits.detach().to_type(ScalarType.Float32), 1)
            .gather(1, labels.unsqueeze(1)).squeeze(1).cpu().data<float>().ToArray();
        float s = 0;
        foreach (var x in p) s += x;
        return s;
    }

    /// <summary>The modulation coefficient of each modality from its score (main.py 108-124; OGM_trainer.py 135-151).</summary>
    public Dictionary<string, float> Coefficients(IReadOnlyDictionary<string, float> scores)
    {
        var coeff = Modalities.ToDictionary(m => m, _ => 1f);
        if (Modalities.Count == 2 && _variant != OgmVariant.BalanceBenchmark)
        {
            string a = Modalities[0], v = Modalities[1];
            float ratioV = scores[v] / scores[a];
            float ratioA = 1f / ratioV;
            if (ratioV > 1) coeff[v] = 1f - MathF.Tanh(_alpha * MathF.Max(ratioV, 0f));
            else coeff[a] = 1f - MathF.Tanh(_alpha * MathF.Max(ratioA, 0f));
            return coeff;
        }
        foreach (var m in Modalities)
        {
            float other = Modalities.Where(x => x != m).Min(x => scores[x]);
            float ratio = scores[m] / (other + 1e-5f);
            if (ratio > 1) coeff[m] = MathF.Max(1f - MathF.Tanh(_alpha * ratio), 0f);
        }
        return coeff;
    }

    /// <summary>grad &lt;- grad * coeff (+ N(0, std(grad) + 1e-8) with GE) for the modulated parameters (main.py 133-148).</summary>
    void Modulate(IReadOnlyDictionary<string, float> coeff, long globalStep)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var m in Modalities)
            foreach (var (name, p) in _modulated[m])
            {
                var g = p.grad;
                if (g is null) continue;
                Tensor? noise = null;
                if (_noise)
                {
                    float std = g.std().item<float>();
                    if (!float.IsFinite(std))
                        throw new InvalidOperationException($"Method ogm: the gradient of {name} is not finite at global step {globalStep} (training diverged), so GE noise cannot be drawn; lower the learning rate or alpha.");
                    noise = Noise(name, g, std + 1e-8, globalStep);
                }
                g.mul_(coeff[m]);
                if (noise is not null) g.add_(noise);
            }
    }
}
