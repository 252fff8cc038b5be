using Repro.Data;
using Repro.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Repro.Training;

namespace Repro.Methods.Agm;

/// <summary>
/// AGM, Adaptive Gradient Modulation (Li et al., ICCV 2023), as the authors' code runs it: lihong2303/AGM@5a65542,
/// run/CREMAD_main.py train(), model/CREMAD_net.py (GradMod, Modality_Audio/Visual, Modality_out and its backward hooks).
/// <para>
/// f(S) is the fused output with the INPUTS of the modalities outside S replaced by zeros (the encoders still run).
/// Mono-modal outputs are Shapley-style values with the empty coalition taken as 0:
/// m_k = sum over S ⊆ M\{k} of |S|!(N-|S|-1)!/N! * (f(S ∪ {k}) - f(S)), f(∅) = 0. For two modalities
/// m_a = 0.5*(f(AV) - f(V) + f(A)) (CREMAD_net.py:7-17); for three, 1/3*(f(AVT) - f(VT)) + 1/6*(f(AV) - f(V) + f(AT) - f(T))
/// + 1/3*f(A) (the authors' URFunny_net.py:9-31). The padded forwards run in evaluation mode WITH gradient
/// (CREMAD_net.py:57-68); out = sum_k m_k (numerically f(M)); loss = CE(out).
/// </para>
/// <para>
/// Each batch (CREMAD_main.py:130-166): s_k = mean_i -log softmax(m_k)[i, y_i] (a probability below score_floor_prob
/// counts as that floor); ratio_k = exp(N/(N-1) * (mean_j s_j - s_k)), optimal ratio o_k = exp(N/(N-1) * (mean_j T_j - T_k))
/// from the running scores T (0 at the start, never reset; T_k &lt;- T_k (t-1)/t + s_k/t with t the batch count of the
/// whole run); coeff_k = exp(alpha * min(o_k - ratio_k, score_exponent_cap)). Inside the window
/// modulation_starts &lt;= epoch &lt;= modulation_ends (epochs numbered from 1 here, as the official loop does) the scale
/// of each m_k becomes coeff_k; outside it the last scale stays in force (1 before the window). The backward through
/// m_k is multiplied by its scale (the hook on Modality_out), which reaches the encoders, the zero-padded encoders'
/// biases and the fusion head. Then, if any gradient of the classifier weight (fc_out.weight; every 2-D head weight for
/// heads without one) exceeds clip_norm in absolute value, every gradient is clipped to global norm clip_norm
/// (CREMAD_main.py:233-238).
/// </para>
/// Options: <see cref="AgmOptions"/> (`repro methods agm`; defaults = the authors' utils/config.py:66-78 and CREMAD_main.py).
/// variant = authors | balancebenchmark: BalanceBenchmark (GeWu-Lab/BalanceBenchmark@4c1482f,
/// balancemm/trainer/AGM_trainer.py:221-271, 535-589) computes the mono-modal outputs without gradient and without the
/// singleton term (m_a = 0.5*(f(AV) - f(V)) for two modalities), flips the sign of both ratios
/// (exp(N/(N-1) * (s_k - mean s))), caps the exponent at 7, ignores the window, multiplies the gradient of every
/// non-1-D encoder parameter of modality k by coeff_k after a plain CE backward, and clips at 5 (its defaults for
/// score_exponent_cap and clip_norm under this variant).
/// Logged: loss = CE(out), loss_a, loss_v, ... = CE(m_k). Predictions: fused f(M), unimodal m_k (the authors' test()).
/// Multi-label data: refused (the scores are true-class log-probabilities).
/// </summary>
[Method("agm", "Adaptive Gradient Modulation (Li et al., ICCV 2023): Shapley mono-modal responses, scaled backward")]
public sealed class Agm : Method, ITracedMethod
{
    readonly double[] _trainScore;
    readonly double[] _scale;
    readonly Parameter[] _clipWatch;

    Agm(MultimodalModel model, AgmOptions o) : base(model, o)
    {
        Variant = o.Variant;
        bool bb = Variant == BaselineVariant.BalanceBenchmark;
        Alpha = o.Alpha;
        ModulationStarts = o.ModulationStarts;
        ModulationEnds = o.ModulationEnds;
        ExponentCap = o.ScoreExponentCap ?? (bb ? 7 : 10);
        FloorProb = o.ScoreFloorProb;
        ClipNorm = o.ClipNorm ?? (bb ? 5 : 1);
        _trainScore = new double[Modalities.Count];
        _scale = Enumerable.Repeat(1.0, Modalities.Count).ToArray();
        var named = Model.Head.named_parameters().ToArray();
        var fcOut = named.Where(p => p.name == "fc_out.weight" || p.name.EndsWith(".fc_out.weight")).Select(p => p.parameter).ToArray();
        _clipWatch = fcOut.Length > 0 ? fcOut : named.Where(p => p.parameter.dim() == 2).Select(p => p.parameter).ToArray();
    }

    public BaselineVariant Variant { get; }
    public double Alpha { get; }
    public int ModulationStarts { get; }
    public int ModulationEnds { get; }
    public double ExponentCap { get; }
    public double FloorProb { get; }
    public double ClipNorm { get; }
    public MethodTrace? Trace { get; set; }

    /// <summary>Running mean scores T_k (audio, visual, ...).</summary>
    public IReadOnlyList<double> TrainScores => _trainScore;
    /// <summary>The scales in force for the backward through m_k.</summary>
    public IReadOnlyList<double> Scales => _scale;

    public static Agm Create(AgmOptions o, ModelParts parts)
    {
        if (parts.MultiLabel)
            throw new ArgumentException("Method agm is undefined for multi-label data: its scores are true-class log-probabilities of one label per sample.");
        if (parts.Modalities.Count < 2) throw new ArgumentException("Method agm needs at least two modalities.");
        return new Agm(parts.FusionModel(o), o);
    }

    /// <summary>|S|!(N-|S|-1)!/N!, the Shapley weight of a coalition of size <paramref name="s"/> among <paramref name="n"/> players.</summary>
    public static double ShapleyWeight(int s, int n) => Factorial(s) * Factorial(n - s - 1) / Factorial(n);

    static double Factorial(int n) => n <= 1 ? 1 : n * Factorial(n - 1);

    /// <summary>
    /// Mono-modal outputs from coalition outputs f(S) (keys: bit masks over <paramref name="n"/> modalities, the full mask
    /// included; the empty mask is never read): the authors' values with f(∅) = 0, or BalanceBenchmark's without the
    /// empty-coalition term (<paramref name="includeSingleton"/> false).
    /// </summary>
    public static Tensor[] MonoModal(IReadOnlyDictionary<int, Tensor> f, int n, bool includeSingleton)
    {
        var result = new Tensor[n];
        for (int k = 0; k < n; k++)
        {
            Tensor? sum = null;
            int others = ((1 << n) - 1) & ~(1 << k);
            for (int s = others; ; s = (s - 1) & others)
            {
                int size = System.Numerics.BitOperations.PopCount((uint)s);
                if (s != 0 || includeSingleton)
                {
                    var marginal = s == 0 ? f[1 << k] : f[s | (1 << k)] - f[s];
                    var term = ShapleyWeight(size, n) * marginal;
                    sum = sum is null ? term : sum + term;
                }
                if (s == 0) break;
            }
            result[k] = sum!;
        }
        return result;
    }

    /// <summary>f(S) for every non-empty coalition S; the full one in the current mode, the padded ones in evaluation mode.</summary>
    Dictionary<int, Tensor> Coalitions(Batch batch, bool paddedWithGrad)
    {
        int n = Modalities.Count, full = (1 << n) - 1;
        var f = new Dictionary<int, Tensor> { [full] = Model.Head.Fuse(Model.Encode(batch)) };
        bool wasTraining = Model.training;
        Model.eval();
        try
        {
            using var grad = paddedWithGrad ? null : no_grad();
            for (int s = 1; s < full; s++)
            {
                var kept = Enumerable.Range(0, n).Where(i => (s & (1 << i)) != 0).Select(i => Modalities[i]);
                f[s] = Model.Head.Fuse(Model.Encode(ZeroPadding.Keep(batch, kept)));
            }
        }
        finally
        {
            if (wasTraining) Model.train();
        }
        return f;
    }

    /// <summary>Mean over the batch of -log softmax(logits)[i, y_i], each probability floored (CREMAD_main.py:130-143).</summary>
    public static double Score(Tensor logits, Tensor labels, double floorProb)
    {
        using var scope = NewDisposeScope();
        var p = nn.functional.softmax(logits.detach(), 1).gather(1, labels.unsqueeze(1)).squeeze(1);
        var logp = p.log();
        var floored = (p < floorProb).logical_or(logp.isinf());
        var nll = where(floored, full_like(logp, -Math.Log(floorProb)), -logp);
        return nll.sum().item<float>() / (float)logits.shape[0];
    }

    /// <summary>
    /// coeff_k = exp(alpha * min(o_k - ratio_k, cap)) with ratio_k = exp(N/(N-1) * sign * (mean s - s_k)) and
    /// o_k likewise from the running scores; sign = +1 (authors), -1 (BalanceBenchmark).
    /// </summary>
    public static double[] Coefficients(IReadOnlyList<double> scores, IReadOnlyList<double> running, double alpha, double cap, bool flipped)
    {
        int n = scores.Count;
        double f = (double)n / (n - 1) * (flipped ? -1 : 1);
        double meanS = scores.Average(), meanT = running.Average();
        return Enumerable.Range(0, n).Select(k =>
        {
            double ratio = n == 2 && !flipped ? Math.Exp(scores[1 - k] - scores[k]) : Math.Exp(f * (meanS - scores[k]));
            double optimal = n == 2 && !flipped ? Math.Exp(running[1 - k] - running[k]) : Math.Exp(f * (meanT - running[k]));
            return Math.Exp(alpha * Math.Min(optimal - ratio, cap));
        }).ToArray();
    }

    /// <summary>Forward value of x, backward multiplied by <paramref name="scale"/> (the Modality_out hook).</summary>
    public static Tensor ScaleBackward(Tensor x, double scale)
    {
        var constant = x.detach();
        return constant + (x - constant) * scale;
    }

    public override StepResult TrainStep(Batch batch, StepContext ctx)
    {
        bool bb = Variant == BaselineVariant.BalanceBenchmark;
        int n = Modalities.Count;
        var f = Coalitions(batch, paddedWithGrad: !bb);
        var mono = MonoModal(f, n, includeSingleton: !bb);
        var output = bb ? f[(1 << n) - 1] : mono.Aggregate((a, b) => a + b);
        ctx.ZeroGrad();

        var scores = mono.Select(m => Score(m, batch.Labels, FloorProb)).ToArray();
        var coeff = Coefficients(scores, _trainScore, Alpha, ExponentCap, flipped: bb);
        long t = ctx.GlobalStep + 1;
        for (int k = 0; k < n; k++) _trainScore[k] = _trainScore[k] * (t - 1) / t + scores[k] / t;
        int epoch1 = ctx.Epoch + 1;
        if (!bb && ModulationStarts <= epoch1 && epoch1 <= ModulationEnds) Array.Copy(coeff, _scale, n);

        Tensor loss;
        if (bb)
        {
            loss = TaskLoss(output, batch);
            loss.backward();
            using var noGrad = no_grad();
            for (int k = 0; k < n; k++)
                foreach (var p in Model.EncoderParameters(Modalities[k]))
                {
                    using var g = p.grad;
                    if (g is not null && g.dim() != 1) g.mul_(coeff[k]);
                }
        }
        else
        {
            var scaled = Enumerable.Range(0, n).Select(k => ScaleBackward(mono[k], _scale[k])).ToArray();
            loss = TaskLoss(scaled.Aggregate((a, b) => a + b), batch);
            loss.backward();
        }
        bool clipped = ClipIfLarge();
        Trace?.Add("scale", bb ? coeff : (double[])_scale.Clone());
        Trace?.Add("clipped", clipped ? 1 : 0);
        ctx.Step();

        var result = new StepResult().Add("loss", loss);
        using (no_grad())
            for (int k = 0; k < n; k++) result.Add("loss_" + Data.Modalities.Tag(Modalities[k]), TaskLoss(mono[k], batch));
        return result;
    }

    /// <summary>CREMAD_main.py:233-238: clip_grad_norm_(all parameters, clip_norm) when a classifier-weight gradient leaves [-clip_norm, clip_norm].</summary>
    bool ClipIfLarge()
    {
        using var scope = NewDisposeScope();
        bool large = _clipWatch.Any(p => p.grad is { } g && (g.max().item<float>() > ClipNorm || g.min().item<float>() < -ClipNorm));
        if (large) nn.utils.clip_grad_norm_(Model.parameters().Where(p => p.requires_grad), ClipNorm);
        return large;
    }

    public override void OnEpochEnd(EpochContext ctx) => Trace?.Add("train_score", (double[])_trainScore.Clone());

    public override Prediction Predict(Batch batch)
    {
        int n = Modalities.Count;
        bool bb = Variant == BaselineVariant.BalanceBenchmark;
        var f = Coalitions(batch, paddedWithGrad: false);
        var mono = MonoModal(f, n, includeSingleton: !bb);
        var fused = bb ? f[(1 << n) - 1] : mono.Aggregate((a, b) => a + b);
        return new Prediction(fused, Enumerable.Range(0, n).ToDictionary(k => Modalities[k], k => mono[k]));
    }

    public override Dictionary<string, Tensor> StateTensors() => new()
    {
        ["agm/train_score"] = tensor(_trainScore),
        ["agm/scale"] = tensor(_scale),
    };

    public override void LoadStateTensors(IReadOnlyDictionary<string, Tensor> state)
    {
        if (state.TryGetValue("agm/train_score", out var s)) Array.Copy(s.to_type(ScalarType.Float64).data<double>().ToArray(), _trainScore, _trainScore.Length);
        if (state.TryGetValue("agm/scale", out var c)) Array.Copy(c.to_type(ScalarType.Float64).data<double>().ToArray(), _scale, _scale.Length);
    }
}
