using Repro.Data;
using Repro.Models;
using Repro.Models.Encoders;
using Repro.Models.Fusion;
using Repro.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Repro.Methods.Cca;

namespace Repro.Methods.CpmNet;

/// <summary>
/// CPM-Net, Cross Partial Multi-view Networks (Zhang et al., NeurIPS 2019) as the official code and GCNet run it
/// (hanmenghan/CPM_Nets model.py:56-82,97-204, classfiy.py:31-46; docs/missing-modality.md#cpm-net): every training
/// sample n has a latent code h_n (lsd-d, xavier init); one Linear per modality maps h to that modality's features
/// (the modality's network, in the model's per-modality slot: <see cref="CpmViewNet"/>). Reconstruction loss = sum over
/// the OBSERVED entries only of |net_v(h_n) - x_nv|^2. Classification loss on the codes (<see cref="ClassificationLoss"/>).
/// A training step (full batch, as the reference) = 5 Adam(lr) steps of the networks on the reconstruction loss, then 5
/// Adam(h_lr = 0.01) steps of the codes on reconstruction + lambda * classification. Test-time: the networks frozen, a
/// code per test sample optimised for 5 * test_epochs Adam(1e-3) steps on its observed modalities, then the class
/// whose training codes have the largest mean dot product with it. Options: lsd (128), lambda (10), test_epochs (20),
/// h_lr (0.01) (published grids: lsd {128,150,256,512}, lambda {1,10}, epochs-test {20,30,100,300}).
/// Differs: the codes' Adam moments are not checkpointed (a resumed run restarts them); the reference draws the mask
/// over train+test jointly. Logged: loss (codes' objective), recon, cls.
/// </summary>
[Method("cpm-net", "CPM-Net: per-sample latent codes reconstructing the observed modalities, test-time code optimisation")]
public sealed class CpmNet : Method, IAdjustsTraining
{
    readonly double _lambda, _hLr;
    readonly int _testEpochs;
    optim.Optimizer? _codeOptimizer;
    Dictionary<long, long>? _rowOf;

    CpmNet(MultimodalModel model, MethodOptions o, double lambda, int testEpochs, double hLr) : base(model, o)
    {
        _lambda = lambda;
        _testEpochs = testEpochs;
        _hLr = hLr;
    }

    public CpmHead Head => (CpmHead)Model.Head;

    public static CpmNet Create(CpmNetOptions o, ModelParts parts)
    {
        int lsd = o.Lsd;
        var nets = parts.Modalities.Select(m => (m, (nn.Module<Tensor, Tensor>)new CpmViewNet(lsd, (int)parts.FeatureInputSize(m, "cpm-net")))).ToArray();
        return new CpmNet(new MultimodalModel(nets, new CpmHead(parts.Modalities, lsd, parts.NumClasses)), o,
            o.Lambda, o.TestEpochs, o.HLr);
    }

    public TrainConfig AdjustTraining(TrainConfig config) =>
        config with { Optimizer = "adam", Lr = LrSchedule.Constant(1e-3), WeightDecay = 0, BatchSize = 1 << 20 };

    public override IEnumerable<Parameter> TrainableParameters() => Modalities.SelectMany(Model.EncoderParameters);

    /// <summary>Creates the training codes (one per training sample) and the code optimizer.</summary>
    public override void EnterStage(TrainingStage stage, EpochContext ctx)
    {
        var ds = ctx.Train.Dataset;
        var index = ds is Subset s ? s.Indices.Select(i => (long)i).ToArray() : Enumerable.Range(0, ds.Count).Select(i => (long)i).ToArray();
        var labels = Enumerable.Range(0, ds.Count).Select(i => (long)ds.LabelOf(i)).ToArray();
        Head.CreateCodes(index, labels);
        _rowOf = index.Select((p, r) => (p, (long)r)).ToDictionary(x => x.p, x => x.Item2);
        _codeOptimizer?.Dispose();
        _codeOptimizer = new Training.Optim.Adam([Head.Codes], _hLr);
    }

    public override StepResult TrainStep(Batch batch, StepContext ctx)
    {
        if (_rowOf is null || _codeOptimizer is null) throw new InvalidOperationException("CPM-Net: the training codes do not exist yet (EnterStage creates them).");
        var rows = tensor(batch.Index.cpu().data<long>().Select(i => _rowOf.TryGetValue(i, out var r) ? r
            : throw new InvalidOperationException($"CPM-Net: sample {i} is not in the training set the codes were made for.")).ToArray());
        for (int s = 0; s < 5; s++)
        {
            ctx.ZeroGrad();
            Reconstruction(Head.Codes.index_select(0, rows).detach(), batch).backward();
            ctx.Step();
        }
        Tensor loss = null!, recon = null!, cls = null!;
        for (int s = 0; s < 5; s++)
        {
            _codeOptimizer.zero_grad();
            var h = Head.Codes.index_select(0, rows);
            recon = Reconstruction(h, batch);
            cls = ClassificationLoss(h, batch.Labels, Head.NumClasses);
            loss = recon + cls * _lambda;
            loss.backward();
            _codeOptimizer.step();
        }
        StepContext.RemoveGrads(Model.parameters());
        return new StepResult().Add("loss", loss).Add("recon", recon).Add("cls", cls);
    }

    /// <summary>sum over observed (sample, modality) of |net_v(h_n) - x_nv|^2 (model.py:122-128).</summary>
    public Tensor Reconstruction(Tensor h, Batch batch)
    {
        Tensor? total = null;
        foreach (var m in Modalities)
        {
            var err = (Model.Encoder(m).call(h) - batch.Inputs[m]).pow(2).sum(1) * batch.Available[m].to_type(h.dtype);
            total = total is null ? err.sum() : total + err.sum();
        }
        return total!;
    }

    /// <summary>
    /// CPM-Net's classification loss (model.py:139-160): S = H H' with a zero diagonal; per sample and class the mean
    /// similarity to that class's OTHER samples; sum over samples of relu(1[argmax != y] + max_c mean_c - mean_y).
    /// </summary>
    public static Tensor ClassificationLoss(Tensor h, Tensor labels, int classes)
    {
        var s = h.matmul(h.t());
        s = s - diag(s.diagonal());
        var onehot = nn.functional.one_hot(labels, classes).to_type(h.dtype);
        var counts = onehot.sum(0, keepdim: true) - onehot;
        var mean = s.matmul(onehot) / counts.clamp_min(1);
        var wrong = mean.argmax(1).ne(labels).to_type(h.dtype);
        var own = (mean * onehot).sum(1);
        return nn.functional.relu(wrong + mean.max(1).values - own).sum();
    }

    /// <summary>Test-time: codes for the batch optimised on its observed modalities with the networks frozen, then classified.</summary>
    public override Prediction Predict(Batch batch)
    {
        Tensor h;
        using (enable_grad())
        {
            var g = new Generator(0);
            long b = batch.Size;
            double std = Math.Sqrt(2.0 / (b + Head.LatentDim));
            var code = new Parameter(randn([b, Head.LatentDim], generator: g) * std);
            using var opt = new Training.Optim.Adam([code], 1e-3);
            for (int s = 0; s < 5 * _testEpochs; s++)
            {
                opt.zero_grad();
                var loss = Reconstruction(code, batch);
                code.grad = autograd.grad([loss], [code])[0];
                opt.step();
            }
            h = code.detach();
        }
        return new Prediction(Head.ClassSimilarity(h), new Dictionary<string, Tensor>());
    }
}

/// <summary>A CPM-Net modality network: h (lsd) -> the modality's features (layer_size [[d_v]] in the reference: one Linear).</summary>
public sealed class CpmViewNet : nn.Module<Tensor, Tensor>, IEncoder
{
    readonly Linear fc;

    public CpmViewNet(int latent, int featureDim) : base(nameof(CpmViewNet))
    {
        fc = nn.Linear(latent, featureDim);
        FeatureDim = featureDim;
        RegisterComponents();
    }

    public int FeatureDim { get; }

    public override Tensor forward(Tensor h) => fc.call(h);
}

/// <summary>CPM-Net's training codes and their labels; classifies a code by its mean dot product with each class's codes (classfiy.py:31-46).</summary>
public sealed class CpmHead : FusionHead
{
    public CpmHead(IReadOnlyList<string> modalities, int latent, int numClasses) : base(nameof(CpmHead), modalities, latent, numClasses) =>
        LatentDim = latent;

    public int LatentDim { get; }
    public Parameter Codes => get_parameter("h_train") ?? throw new InvalidOperationException("CPM-Net: no training codes yet.");

    public void CreateCodes(long[] sampleIndex, long[] labels)
    {
        int n = sampleIndex.Length;
        if (get_parameter("h_train") is { } existing && existing.shape[0] == n) return;
        var h = empty(n, LatentDim);
        nn.init.xavier_normal_(h);
        register_parameter("h_train", new Parameter(h));
        register_buffer("train_labels", tensor(labels));
        register_buffer("train_index", tensor(sampleIndex));
    }

    public Tensor ClassSimilarity(Tensor h)
    {
        var labels = get_buffer("train_labels")!;
        var onehot = nn.functional.one_hot(labels, NumClasses).to_type(h.dtype);
        return h.matmul(Codes.detach().t()).matmul(onehot) / onehot.sum(0).clamp_min(1);
    }

    public override Tensor Fuse(IReadOnlyDictionary<string, Tensor> features) =>
        throw new NotSupportedException("CPM-Net predicts through CpmNet.Predict (test-time code optimisation).");

    public override Tensor Unimodal(string modality, IReadOnlyDictionary<string, Tensor> features) =>
        throw new NotSupportedException("CPM-Net has no unimodal branch.");
}
