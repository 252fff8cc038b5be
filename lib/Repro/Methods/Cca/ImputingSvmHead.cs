using Repro.Data;
using Repro.Models.Fusion;
using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Methods.Cca;

/// <summary>
/// What GCNet's CCA-family baselines (CCA, DCCA, DCCAE; baseline-cca/util.py:124-153, cca.py:134-172) keep besides their
/// projections, as buffers so checkpoints carry them: each modality's imputation mean (a missing feature is replaced by
/// its modality's mean over the observed training samples) and the linear SVM's weights (<see cref="LinearSvm"/>).
/// Prediction goes through the method (it needs the availability to impute), never <see cref="Fuse"/>.
/// </summary>
public abstract class ImputingSvmHead : FusionHead
{
    protected ImputingSvmHead(string name, IReadOnlyList<string> modalities, int[] dims, int svmInputs, int numClasses)
        : base(name, modalities, svmInputs, numClasses)
    {
        for (int i = 0; i < modalities.Count; i++) register_buffer($"mean_{modalities[i]}", zeros(dims[i], dtype: ScalarType.Float64));
        register_buffer("svm_weight", zeros(svmInputs + 1, numClasses, dtype: ScalarType.Float64));
    }

    public Tensor SvmWeights => get_buffer("svm_weight")!;
    protected Tensor Mean(string m) => get_buffer($"mean_{m}")!;

    public void SetMeans(IReadOnlyDictionary<string, Tensor> means)
    {
        using var noGrad = no_grad();
        foreach (var (m, v) in means) Mean(m).copy_(v);
    }

    public void SetSvm(Tensor w)
    {
        using var noGrad = no_grad();
        SvmWeights.copy_(w);
    }

    /// <summary>Missing rows replaced by the modality's training mean (in the input's dtype).</summary>
    public Dictionary<string, Tensor> Impute(IReadOnlyDictionary<string, Tensor> inputs, IReadOnlyDictionary<string, Tensor> available) =>
        Modalities.ToDictionary(m => m, m => where(available[m].unsqueeze(1), inputs[m], Mean(m).to_type(inputs[m].dtype).unsqueeze(0)));

    /// <summary>The SVM's decision values (B, C), float32.</summary>
    public Tensor Decide(Tensor features) => LinearSvm.Decision(features, SvmWeights).to_type(ScalarType.Float32);

    /// <summary>Each modality's mean over the rows that have it; an error names a modality no row has.</summary>
    public static Dictionary<string, Tensor> ObservedMeans(IReadOnlyDictionary<string, Tensor> inputs, IReadOnlyDictionary<string, Tensor> available, string method) =>
        inputs.ToDictionary(kv => kv.Key, kv =>
        {
            var rows = available[kv.Key].nonzero().flatten();
            if (rows.shape[0] == 0) throw new InvalidDataException($"{method}: no training sample has modality '{kv.Key}'; its mean cannot be imputed.");
            return kv.Value.index_select(0, rows).mean([0]);
        });

    /// <summary>Fits the SVM (C = <paramref name="c"/>) on the training features; returns its training accuracy (%).</summary>
    public double FitSvm(Tensor features, long[] labels, double c)
    {
        using var scope = NewDisposeScope();
        SetSvm(LinearSvm.Fit(features, labels, NumClasses, c));
        var predicted = LinearSvm.Decision(features, SvmWeights).argmax(1);
        return 100.0 * predicted.eq(tensor(labels)).sum().item<long>() / labels.Length;
    }

    /// <summary>Every sample of a loader: observed inputs (missing = zeros) and availability in float64, and the labels; no withheld truth.</summary>
    public static (Dictionary<string, Tensor> Inputs, Dictionary<string, Tensor> Available, long[] Labels) Gather(DataLoader loader, int epoch)
    {
        var x = new Dictionary<string, List<Tensor>>();
        var a = new Dictionary<string, List<Tensor>>();
        var labels = new List<long>();
        foreach (var indices in loader.Plan(epoch))
        {
            using var scope = NewDisposeScope();
            var b = loader.Load(indices, epoch);
            foreach (var (m, t) in b.Inputs)
            {
                (x.TryGetValue(m, out var lx) ? lx : x[m] = new()).Add(t.to_type(ScalarType.Float64).cpu().DetachFromDisposeScope());
                (a.TryGetValue(m, out var la) ? la : a[m] = new()).Add(b.Available[m].cpu().DetachFromDisposeScope());
            }
            labels.AddRange(b.Labels.cpu().data<long>().ToArray());
        }
        return (x.ToDictionary(kv => kv.Key, kv => cat(kv.Value.ToArray(), 0)), a.ToDictionary(kv => kv.Key, kv => cat(kv.Value.ToArray(), 0)), labels.ToArray());
    }

    public override Tensor Fuse(IReadOnlyDictionary<string, Tensor> features) =>
        throw new NotSupportedException($"{GetType().Name}: this method predicts through its Predict (it needs the availability to impute).");

    public override Tensor Unimodal(string modality, IReadOnlyDictionary<string, Tensor> features) =>
        throw new NotSupportedException($"{GetType().Name}: this method has no unimodal branch.");
}
