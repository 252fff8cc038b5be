using Repro.Data;
using Repro.Models;
using Repro.Models.Encoders;
using Repro.Models.Fusion;
using TorchSharp;
using static TorchSharp.torch;
using Repro.Training;

namespace Repro.Methods.Cca;

/// <summary>
/// CCA with a linear SVM, the first missing-modality baseline of MLA Table 2 as GCNet runs it (baseline-cca/cca.py,
/// util.py:124-153; docs/missing-modality.md#cca), in ONE fit stage (no gradient steps): a missing feature is replaced by
/// its modality's mean over the observed training samples; for every pair of modalities a linear CCA
/// (<see cref="LinearCca"/>, regularisation 1e-4) keeps k directions per view; the 2k-d projections of the three pairs
/// are concatenated (6k-d) and a linear SVM (<see cref="LinearSvm"/>: LinearSVC's squared-hinge one-vs-rest primal,
/// C = 0.01, solved on TorchSharp) is trained on them. Test: impute with the training means, project, argmax of the
/// SVM's decision values. Options: k (default 2, GCNet's README example; grid 2..20), svm_c (0.01).
/// Differs: GCNet's imputation mean is over train+val+test (transductive) and its mask is drawn over all splits at once;
/// here the means come from the training split only and the masks are the protocol's per split. Logged: corr_{pair}
/// (the top canonical correlation of each pair on the training data), svm_acc (training accuracy).
/// </summary>
[Method("cca", "CCA (pairwise, linear) + linear SVM on mean-imputed features (GCNet suite)")]
public sealed class Cca : Method
{
    readonly int _k;
    readonly double _c;

    Cca(MultimodalModel model, MethodOptions o, int k, double c) : base(model, o) { _k = k; _c = c; }

    public CcaHead Head => (CcaHead)Model.Head;

    public static Cca Create(CcaOptions o, ModelParts parts)
    {
        int k = o.K;
        double c = o.SvmC;
        var dims = parts.Modalities.Select(m => (int)parts.FeatureInputSize(m, "cca")).ToArray();
        if (k < 1 || k > dims.Min()) throw new ArgumentException($"Method cca: option k={k} must be in 1..{dims.Min()} (the smallest feature size).");
        var encoders = parts.Modalities.Select((m, i) => (m, (nn.Module<Tensor, Tensor>)new FeaturesAsIs(dims[i]))).ToArray();
        return new Cca(new MultimodalModel(encoders, new CcaHead(parts.Modalities, dims, k, parts.NumClasses)), o, k, c);
    }

    public override IReadOnlyList<TrainingStage> Stages(int epochs) => [TrainingStage.Solve("cca+svm")];

    public override IEnumerable<TorchSharp.Modules.Parameter> TrainableParameters() => [];

    public override StepResult TrainStep(Batch batch, StepContext ctx) =>
        throw new InvalidOperationException("CCA is fitted in its fit stage, not by gradient steps.");

    public override StepResult FitStage(TrainingStage stage, EpochContext ctx)
    {
        using var scope = NewDisposeScope();
        var (inputs, available, labels) = ImputingSvmHead.Gather(ctx.Train, ctx.Epoch);
        var result = new StepResult();
        Head.SetMeans(ImputingSvmHead.ObservedMeans(inputs, available, "CCA"));
        var imputed = Head.Impute(inputs, available);
        foreach (var (i, j) in Head.Pairs)
        {
            var fit = LinearCca.Fit(imputed[Modalities[i]], imputed[Modalities[j]], _k);
            Head.SetPair(i, j, fit.W1, fit.W2);
            result.Add($"corr_{Data.Modalities.Tag(Modalities[i])}{Data.Modalities.Tag(Modalities[j])}", fit.Correlations[0].item<double>());
        }
        return result.Add("svm_acc", Head.FitSvm(Head.Project(imputed), labels, _c));
    }

    public override Prediction Predict(Batch batch)
    {
        var inputs = batch.Inputs.ToDictionary(kv => kv.Key, kv => kv.Value.to_type(ScalarType.Float64));
        return new Prediction(Head.Decide(Head.Project(Head.Impute(inputs, batch.Available))), new Dictionary<string, Tensor>());
    }
}

/// <summary>CCA's fitted numbers as buffers (so checkpoints carry them): imputation means and the SVM (<see cref="ImputingSvmHead"/>), each pair's projections.</summary>
public sealed class CcaHead : ImputingSvmHead
{
    public CcaHead(IReadOnlyList<string> modalities, int[] dims, int k, int numClasses)
        : base(nameof(CcaHead), modalities, dims, 2 * k * Data.Modalities.Pairs(modalities.Count).Length, numClasses)
    {
        Pairs = Data.Modalities.Pairs(modalities.Count);
        foreach (var (i, j) in Pairs)
        {
            register_buffer($"w_{modalities[i]}_{modalities[j]}_a", zeros(dims[i], k, dtype: ScalarType.Float64));
            register_buffer($"w_{modalities[i]}_{modalities[j]}_b", zeros(dims[j], k, dtype: ScalarType.Float64));
        }
    }

    public (int I, int J)[] Pairs { get; }

    public void SetPair(int i, int j, Tensor a, Tensor b)
    {
        using var noGrad = no_grad();
        get_buffer($"w_{Modalities[i]}_{Modalities[j]}_a")!.copy_(a);
        get_buffer($"w_{Modalities[i]}_{Modalities[j]}_b")!.copy_(b);
    }

    /// <summary>The 6k-d feature: per pair, each view centred by its mean and projected on its k canonical directions.</summary>
    public Tensor Project(IReadOnlyDictionary<string, Tensor> imputed) => cat(Pairs.SelectMany(p => new[]
    {
        (imputed[Modalities[p.I]] - Mean(Modalities[p.I])).matmul(get_buffer($"w_{Modalities[p.I]}_{Modalities[p.J]}_a")!),
        (imputed[Modalities[p.J]] - Mean(Modalities[p.J])).matmul(get_buffer($"w_{Modalities[p.I]}_{Modalities[p.J]}_b")!),
    }).ToArray(), 1);
}
