using Repro.Data;
using Repro.Models;
using Repro.Models.Lora;
using Repro.Models.Transformers;
using Repro.Native;
using Repro.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Methods.U2a;

/// <summary>
/// U2A, Unified Unimodal Adaptation (arXiv 2501.17823 v1): frozen pretrained unimodal transformers adapted with rank-1
/// LoRA, a learnable mask token per modality whose output stands in for a missing modality's CLS token, sum fusion
/// with a linear classifier, and an alignment loss that teaches each mask token to estimate the other modality's CLS
/// output. Two modalities (the paper's setting). Model: <see cref="U2aModels"/>, <see cref="MaskTokenEncoder"/>.
/// <para>Options:</para>
/// <list type="bullet">
/// <item><c>encoders</c> = tiny (default; the same classes at <c>hidden</c> 32, <c>layers</c> 2, <c>heads</c> 2,
///   <c>image_patch</c> 8, <c>audio_patch</c>/<c>audio_stride</c> 8, <c>vocab</c> 30522) | paper (CLIP ViT-B/16, BERT-base,
///   AudioSet AST: the only size the published checkpoints load into).</item>
/// <item><c>weights_image</c>, <c>weights_text</c>, <c>weights_audio</c>: published safetensors checkpoints (CLIP,
///   BERT, AST; video frames use weights_image), loaded by name before LoRA is applied; any missing, unexpected or
///   mis-shaped tensor is refused unless <c>allow_mismatch</c>=true.</item>
/// <item><c>pretrained</c> = auto (default: tiny encoders without weights_* load the stand-in's pretrained encoders
///   the runner offers, <see cref="ModelParts.PretrainedEncoder"/>, through the same loader) | none (frozen random
///   encoders: tests and the ablation that shows why pretraining matters).</item>
/// <item><c>lora_rank</c> 1, <c>lora_alpha</c> 1, <c>lora_dropout</c> 0.1 (the paper's).</item>
/// <item><c>align_weight</c> lambda = 0.2 (U2A eq. 7); <c>align_target</c> = shared (default: gradients reach both
///   the mask token and the CLS it is compared with, as eq. 6 is written) | detached (the CLS target is a constant).</item>
/// <item><c>modality_dropout</c> = auto (default: rate 0.5, our choice, off when the training data already has missing
///   modalities) | a rate in [0, 1].</item>
/// <item><c>optimisation</c> = paper (default: AdamW, weight decay 0.02, polynomial decay power 0.9 per epoch with
///   linear warm-up from 0.1 x lr over <c>warmup_epochs</c> (default min(5, epochs/2)); <c>lr</c> 1e-3 for image-text,
///   5e-5 otherwise; <c>epochs</c> (default: at most the paper's 10 for image-text and 100 for audio-video, fewer when
///   the profile has fewer); U2A Table 5; the profile's batch size is kept) | profile (the profile's optimiser and epochs).</item>
/// </list>
/// Logged: loss (eq. 7), loss_task, loss_align (eq. 6, over the batch's complete samples), dropped (the fraction of
/// samples that lost a modality to dropout). Predict: the fused logits of eq. 4-5 under each sample's availability;
/// per modality, the logits with only that modality present (its CLS and its mask token's estimate); the variant
/// "without-mask-token" uses the placeholder input's CLS for a missing modality instead of the mask token.
/// </summary>
// Version 2: the stand-in's pretrained encoders by default (pretrained=auto) and the paper's 10-epoch cap on image-text;
// version-1 runs trained frozen random encoders for the profile's epochs.
[Method("u2a", "U2A: frozen unimodal transformers with rank-1 LoRA, mask tokens for missing modalities, alignment loss", Version = 2)]
public sealed class U2a : Method, IAdjustsTraining, IInitialisesItself
{
    readonly string _m1, _m2;

    U2a(MultimodalModel model, U2aOptions options) : base(model, options)
    {
        _m1 = model.Modalities[0];
        _m2 = model.Modalities[1];
    }

    public double AlignWeight { get; private init; } = 0.2;
    public bool DetachAlignTarget { get; private init; }
    /// <summary>The modality dropout setting: null = auto.</summary>
    public double? DropoutSetting { get; private init; }
    /// <summary>The rate in force (auto resolves at each epoch start from the training data).</summary>
    public double DropoutRate { get; private set; } = 0.5;
    public U2aOptimisation Optimisation { get; private init; }
    public double? Lr { get; private init; }
    public int? WarmupEpochs { get; private init; }
    public int? Epochs { get; private init; }
    public IReadOnlyList<WeightLoadReport> WeightReports { get; private init; } = [];
    public U2aHead Head => (U2aHead)Model.Head;

    public static U2a Create(U2aOptions o, ModelParts parts)
    {
        if (parts.Modalities.Count != 2)
            throw new ArgumentException($"Method u2a: defined for two modalities (the paper's setting); the dataset has {string.Join(", ", parts.Modalities)}.");
        var info = parts.Info ?? throw new ArgumentException("Method u2a sizes its encoders from the dataset's input shapes; ModelParts.Info is required.");
        var size = o.EncoderSize;
        var lora = new LoraConfig { Rank = o.LoraRank, Alpha = o.LoraAlpha, Dropout = o.LoraDropout };
        var weights = new Dictionary<string, string?>
        {
            [Data.Modalities.Image] = o.WeightsImage,
            [Data.Modalities.Text] = o.WeightsText,
            [Data.Modalities.Audio] = o.WeightsAudio,
        };
        bool allowMismatch = o.AllowMismatch;
        var standIn = o.Pretrained == U2aPretrained.Auto && !size.Published ? parts.PretrainedEncoder : null;
        var reports = new List<WeightLoadReport>();
        void Prepare(string modality, nn.Module<Tensor, Tensor> backbone)
        {
            var key = modality == Data.Modalities.Visual ? Data.Modalities.Image : modality;
            if ((weights.GetValueOrDefault(key) ?? standIn?.Invoke(modality, size)) is not { } path) return;
            var options = PublishedCheckpoints.For((ITokenEncoder)backbone) with { AllowMismatch = allowMismatch };
            reports.Add(WeightLoader.Load(backbone, path, options));
        }
        var specs = parts.Modalities.Select(info.Modality).ToArray();
        var model = U2aModels.Build(specs, parts.NumClasses, size, lora, Prepare);

        return new U2a(model, o)
        {
            AlignWeight = o.AlignWeight,
            DetachAlignTarget = o.AlignTarget == U2aAlignTarget.Detached,
            DropoutSetting = o.ModalityDropout,
            DropoutRate = o.ModalityDropout ?? 0.5,
            Optimisation = o.Optimisation,
            Lr = o.Lr,
            WarmupEpochs = o.WarmupEpochs,
            Epochs = o.Epochs,
            WeightReports = reports,
        };
    }

    public TrainConfig AdjustTraining(TrainConfig config)
    {
        if (Optimisation != U2aOptimisation.Paper) return config;
        bool imageText = Modalities.Contains(Data.Modalities.Text);
        double lr = Lr ?? (imageText ? 1e-3 : 5e-5);
        int epochs = Epochs ?? Math.Min(config.Epochs, imageText ? 10 : 100);
        int warmup = WarmupEpochs ?? Math.Min(5, epochs / 2);
        return config with
        {
            Epochs = epochs,
            Optimizer = "adamw",
            WeightDecay = 0.02,
            Lr = LrSchedule.Polynomial(lr, epochs, 0.9, warmup, 0.1),
        };
    }

    public override void OnEpochStart(EpochContext ctx) =>
        DropoutRate = DropoutSetting ?? (ModalityDropout.HasMissing(ctx.Train.Dataset) ? 0 : 0.5);

    /// <summary>Each modality's (B, 2, d) outputs: [:, 0] = CLS^_m, [:, 1] = MT^_m.</summary>
    public Dictionary<string, Tensor> Outputs(Batch batch) => Model.Encode(batch);

    /// <summary>
    /// U2A eq. 4, per sample: both present -> (CLS^_1, CLS^_2); modality 1 missing -> (MT^_2, CLS^_2); modality 2 missing
    /// -> (CLS^_1, MT^_1). A sample with neither keeps the placeholders' CLS tokens.
    /// </summary>
    public static Dictionary<string, Tensor> SelectTokens(string m1, string m2, IReadOnlyDictionary<string, Tensor> outputs,
        IReadOnlyDictionary<string, Tensor> available)
    {
        var a1 = available[m1].unsqueeze(1);
        var a2 = available[m2].unsqueeze(1);
        var cls1 = outputs[m1].select(1, 0);
        var cls2 = outputs[m2].select(1, 0);
        var mt1 = outputs[m1].select(1, 1);
        var mt2 = outputs[m2].select(1, 1);
        return new Dictionary<string, Tensor>
        {
            [m1] = where(a1.logical_or(a2.logical_not()), cls1, mt2),
            [m2] = where(a2.logical_or(a1.logical_not()), cls2, mt1),
        };
    }

    /// <summary>
    /// U2A eq. 6 over the complete samples only: MSE(MT^_1, CLS^_2) + MSE(MT^_2, CLS^_1), each averaged over the feature
    /// dimension and the complete samples. Null when the batch has no complete sample.
    /// </summary>
    public static Tensor? AlignmentLoss(string m1, string m2, IReadOnlyDictionary<string, Tensor> outputs,
        IReadOnlyDictionary<string, Tensor> available, bool detachTarget = false)
    {
        var complete = available[m1].logical_and(available[m2]);
        if (!complete.any().item<bool>()) return null;
        var rows = complete.nonzero().squeeze(1);
        var o1 = outputs[m1].index_select(0, rows);
        var o2 = outputs[m2].index_select(0, rows);
        Tensor Target(Tensor t) => detachTarget ? t.detach() : t;
        return nn.functional.mse_loss(o1.select(1, 1), Target(o2.select(1, 0)))
             + nn.functional.mse_loss(o2.select(1, 1), Target(o1.select(1, 0)));
    }

    public override StepResult TrainStep(Batch batch, StepContext ctx)
    {
        ctx.ZeroGrad();
        var result = new StepResult();
        if (DropoutRate > 0)
        {
            var available = ModalityDropout.Draw(Modalities, batch.Available, DropoutRate);
            var before = batch.Available[_m1].logical_and(batch.Available[_m2]).sum().item<long>();
            var after = available[_m1].logical_and(available[_m2]).sum().item<long>();
            result.Add("dropped", (double)(before - after) / batch.Size);
            batch = ModalityDropout.Apply(batch, available);
        }
        var outputs = Outputs(batch);
        var logits = Head.Fuse(SelectTokens(_m1, _m2, outputs, batch.Available));      // U2A eq. 4-5
        var task = TaskLoss(logits, batch);
        var align = AlignmentLoss(_m1, _m2, outputs, batch.Available, DetachAlignTarget);  // U2A eq. 6
        var loss = align is null ? task : task + align * AlignWeight;                    // U2A eq. 7
        result.Add("loss", loss).Add("loss_task", task).Add("loss_align", align is null ? 0.0 : align.item<float>());
        loss.backward();
        ctx.Step();
        return result;
    }

    public override Prediction Predict(Batch batch)
    {
        var outputs = Outputs(batch);
        var fused = Head.Fuse(SelectTokens(_m1, _m2, outputs, batch.Available));
        var unimodal = new Dictionary<string, Tensor>();
        foreach (var m in Modalities)
        {
            var only = Modalities.ToDictionary(x => x, x => x == m ? batch.Available[m] : zeros_like(batch.Available[x]));
            only[m] = ones_like(batch.Available[m]);
            unimodal[m] = Head.Fuse(SelectTokens(_m1, _m2, outputs, only));
        }
        var withoutMask = Head.Fuse(Modalities.ToDictionary(m => m, m => outputs[m].select(1, 0)));
        return new Prediction(fused, unimodal) { Variants = new Dictionary<string, Tensor> { ["without-mask-token"] = withoutMask } };
    }
}
