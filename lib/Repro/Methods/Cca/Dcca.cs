using Repro.Data;
using Repro.Models;
using Repro.Models.Missing;
using Repro.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Repro.Methods.Cca;

/// <summary>
/// DCCA, Deep Canonical Correlation Analysis (Andrew et al., ICML 2013) with a linear SVM, as GCNet runs it on IEMOCAP
/// (baseline-cca/dcca.py:41-133, 519-553; docs/missing-modality.md#dcca), in two stages the trainer runs in order:
/// <list type="number">
/// <item>dcca (gradient, not selectable): missing features are replaced by their modality's mean over the observed
///   training samples (as <see cref="Cca"/>); one view network per modality, [d, h, h, h, k] (<see cref="DeepCcaMlp"/>);
///   loss = -(corr12 + corr13 + corr23) (<see cref="DeepCcaLoss"/>); Adam(lr 1e-3, weight decay 1e-4), batch 1024.</item>
/// <item>svm (fit): the k-d outputs of every view concatenated (3k-d) and a linear SVM (C = 0.01,
///   <see cref="LinearSvm"/>) trained on them; test: impute with the training means, embed, argmax of the SVM.</item>
/// </list>
/// DCCAE (<see cref="Dccae"/>) adds a decoder per view and 0.001 * sum_v MSE(x_hat_v, x_v).
/// Options: k (10) and hidden (1024) (dcca.py's defaults; grid h {256, 512, 1024}, k 2..20), svm_c (0.01), lr (1e-3),
/// weight_decay (1e-4), batch_size (1024), text_via_visual (false). text_via_visual = true is the reference's slip
/// (dcca.py:133, dccae.py:141,145): the text view goes through the VISUAL network (and decoder), the text network is
/// never used; it needs text and visual features of one size. Differs: the reference keeps the epoch with the lowest
/// CCA loss on the test session and imputes with means over all splits; here the last epoch of the dcca stage is
/// embedded and the means come from the training split. Logged: loss, corr (sum over pairs), recon (DCCAE); svm_acc.
/// </summary>
[Method("dcca", "DCCA (GCNet suite): deep CCA over three view networks on mean-imputed features, then a linear SVM")]
public sealed class Dcca : Method, IAdjustsTraining
{
    readonly int _k, _batch;
    readonly double _c, _lr, _weightDecay, _reconWeight;
    readonly bool _textViaVisual;

    Dcca(MultimodalModel model, DccaOptions o, double reconWeight) : base(model, o)
    {
        _k = o.K;
        _textViaVisual = o.TextViaVisual;
        _reconWeight = reconWeight;
        _c = o.SvmC;
        _lr = o.Lr;
        _weightDecay = o.WeightDecay;
        _batch = o.BatchSize;
    }

    public DccaHead Head => (DccaHead)Model.Head;
    public bool Autoencoder => Head.HasDecoders;

    public static Dcca Create(DccaOptions o, ModelParts parts) => Build(o, parts);

    /// <summary>DCCA, or DCCAE when the options are <see cref="DccaeOptions"/>.</summary>
    internal static Dcca Build(DccaOptions o, ModelParts parts)
    {
        bool autoencoder = o is DccaeOptions;
        string name = autoencoder ? "dccae" : "dcca";
        int k = o.K;
        int h = o.Hidden;
        bool viaVisual = o.TextViaVisual;
        double reconWeight = o is DccaeOptions e ? e.ReconWeight : 0;
        if (parts.Modalities.Count < 2) throw new ArgumentException($"Method {name} needs at least two modalities.");
        var dims = parts.Modalities.Select(m => (int)parts.FeatureInputSize(m, name)).ToArray();
        if (viaVisual)
        {
            int t = parts.Modalities.ToList().IndexOf(Data.Modalities.Text), v = parts.Modalities.ToList().IndexOf(Data.Modalities.Visual);
            if (t < 0 || v < 0) throw new ArgumentException($"Method {name}: text_via_visual needs text and visual modalities; the dataset has {string.Join(", ", parts.Modalities)}.");
            if (dims[t] != dims[v]) throw new ArgumentException($"Method {name}: text_via_visual sends text ({dims[t]} features) through the visual network ({dims[v]} inputs); the sizes must agree.");
        }
        var encoders = parts.Modalities.Select((m, i) => (m, (nn.Module<Tensor, Tensor>)new DeepCcaMlp([dims[i], h, h, h, k]))).ToArray();
        var head = new DccaHead(parts.Modalities, dims, k, h, parts.NumClasses, autoencoder);
        return new Dcca(new MultimodalModel(encoders, head), o, reconWeight);
    }

    public TrainConfig AdjustTraining(TrainConfig config) =>
        config with { Optimizer = "adam", Lr = LrSchedule.Constant(_lr), WeightDecay = _weightDecay, BatchSize = _batch };

    public override IReadOnlyList<TrainingStage> Stages(int epochs) =>
        [TrainingStage.Gradient("dcca", epochs, selectable: false), TrainingStage.Solve("svm")];

    /// <summary>The modality whose networks process <paramref name="m"/>: itself, or visual for text under text_via_visual.</summary>
    public string Route(string m) => _textViaVisual && m == Data.Modalities.Text ? Data.Modalities.Visual : m;

    public override void EnterStage(TrainingStage stage, EpochContext ctx)
    {
        if (stage.Name != "dcca") return;
        using var scope = NewDisposeScope();
        var (inputs, available, _) = ImputingSvmHead.Gather(ctx.Train, ctx.Epoch);
        Head.SetMeans(ImputingSvmHead.ObservedMeans(inputs, available, Name));
    }

    /// <summary>Each view's network output (B, k), on the imputed inputs.</summary>
    public Dictionary<string, Tensor> Embed(IReadOnlyDictionary<string, Tensor> imputed) =>
        Modalities.ToDictionary(m => m, m => Model.Encoder(Route(m)).call(imputed[m].to_type(ScalarType.Float32)));

    public override StepResult TrainStep(Batch batch, StepContext ctx)
    {
        ctx.ZeroGrad();
        var x = Head.Impute(batch.Inputs, batch.Available);
        var z = Embed(x);
        var corrLoss = DeepCcaLoss.Loss(Modalities.Select(m => z[m]).ToArray(), _k);
        var result = new StepResult().Add("corr", -corrLoss.item<float>());
        var loss = corrLoss;
        if (Autoencoder)
        {
            var recon = Head.ReconstructionLoss(z, x, Route);
            loss = loss + recon * _reconWeight;
            result.Add("recon", recon);
        }
        loss.backward();
        ctx.Step();
        return result.Add("loss", loss);
    }

    public override StepResult FitStage(TrainingStage stage, EpochContext ctx)
    {
        using var scope = NewDisposeScope();
        Model.eval();
        var (inputs, available, labels) = ImputingSvmHead.Gather(ctx.Train, ctx.Epoch);
        Tensor z;
        using (no_grad()) z = Features(Head.Impute(inputs, available));
        return new StepResult().Add("svm_acc", Head.FitSvm(z, labels, _c));
    }

    /// <summary>The SVM's input: the views' outputs concatenated, float64.</summary>
    Tensor Features(IReadOnlyDictionary<string, Tensor> imputed)
    {
        var z = Embed(imputed);
        return cat(Modalities.Select(m => z[m]).ToArray(), 1).to_type(ScalarType.Float64);
    }

    public override Prediction Predict(Batch batch) =>
        new(Head.Decide(Features(Head.Impute(batch.Inputs, batch.Available))), new Dictionary<string, Tensor>());
}

/// <summary>DCCA's fitted numbers (imputation means, SVM) and, for DCCAE, a decoder per view [k, h, h, h, d].</summary>
public sealed class DccaHead : ImputingSvmHead
{
    readonly ModuleDict<DeepCcaMlp>? decoders;

    public DccaHead(IReadOnlyList<string> modalities, int[] dims, int k, int hidden, int numClasses, bool decoders)
        : base(nameof(DccaHead), modalities, dims, k * modalities.Count, numClasses)
    {
        if (decoders)
        {
            this.decoders = nn.ModuleDict<DeepCcaMlp>();
            for (int i = 0; i < modalities.Count; i++) this.decoders.Add(modalities[i], new DeepCcaMlp([k, hidden, hidden, hidden, dims[i]]));
        }
        RegisterComponents();
    }

    public bool HasDecoders => decoders is not null;

    /// <summary>
    /// DCCAE's reconstruction term (dccae.py train_step): sum over views of MSE(decoder(z_v), x_v), the decoder being
    /// that of the network the view went through (<paramref name="route"/>).
    /// </summary>
    public Tensor ReconstructionLoss(IReadOnlyDictionary<string, Tensor> codes, IReadOnlyDictionary<string, Tensor> inputs, Func<string, string> route)
    {
        if (decoders is null) throw new InvalidOperationException("This head has no decoders (DCCA); only DCCAE reconstructs.");
        Tensor? total = null;
        foreach (var m in Modalities)
        {
            var term = nn.functional.mse_loss(decoders[route(m)].call(codes[m]), inputs[m].to_type(codes[m].dtype));
            total = total is null ? term : total + term;
        }
        return total!;
    }
}
