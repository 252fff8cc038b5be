using Repro.Data;
using Repro.Models;
using Repro.Models.Encoders;
using Repro.Models.Missing;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Repro.Training;

namespace Repro.Methods.Tate;

/// <summary>
/// TATE, tag-assisted transformer encoder (Zeng et al., SIGIR 2022) as its authors' IEMOCAP code builds it
/// (JaydenZeng/TATE iemocap/network.py:22-157, train.py:51-52, module.py; docs/missing-modality.md#tate), on the utterance
/// features of MLA Table 2, in MMIN's teacher/student staging (<see cref="TeacherStudentBaseline"/>):
/// <list type="bullet">
/// <item>per modality: bias-free Dense(d_m, 300) and a transformer block (<see cref="TateBlock"/>, 4 heads, dropout
///   0.2) over its tokens (one token per utterance here; the reference has frame sequences): the model's encoders.</item>
/// <item>pair-shared "common" projections: for each pair of modalities a bias-free Linear(300, 300/(V-1)) (wei_va,
///   wei_vt, wei_ta); a modality's token is the concatenation of its pairs' projections (300).</item>
/// <item>tags (<see cref="Tags"/>): a (V+1)-d vector appended to every token (304-d): slot 0 "nothing missing", slot 1+i
///   "modality i missing". The reference tags one missing modality per sample; under CPM masks two may be missing and
///   both slots are set.</item>
/// <item>encoder block over the V tagged tokens -> enc; decoder block over enc -> dec; sigmoid-attention pooling of enc
///   (<see cref="Pool"/>); bias-free Dense(304, 300) and Linear(300, C).</item>
/// <item>loss = sum_batch CE + 0.1 * l2 + 0.1 * KL + 0.1 * dec + 0.1 * tag, with l2 = 1e-4 * (|W_l|^2 + |b_l|^2)/2 (the
///   classifier), KL = <see cref="SymmetricKl"/>(enc, the frozen teacher's enc), dec = <see cref="SymmetricKl"/>(dec,
///   tagged tokens), tag = mean |tag - sigmoid(pooled[-(V+1):])| (<see cref="TagLoss"/>).</item>
/// </list>
/// Stages: teacher = the same network trained on COMPLETE features with "nothing missing" tags and no KL term (the
/// reference loads such a model, saved-model/MT_ATT_model-290); student = continues from it on the masked features,
/// with a frozen copy as the KL teacher. Options: att_dim (300), heads (4), kl_weight, decoder_weight, tag_weight (0.1
/// each), teacher_epochs; tags = missing (default) | constant: the released code compares a TF1 placeholder with -1/0/1
/// (network.py:92-98), which is object identity in TF1, so as written every sample gets the tag (0, 0, 0, 1);
/// teacher_input = complete (default: the teacher encodes the complete utterance, the distillation the paper describes)
/// | masked (train.py feeds the teacher the same masked batch and tags as the student). Differs: Adam 1e-3 as the
/// reference but the profile's batch size and epochs (reference: 32, 15 epochs, checkpoints every 10 steps picked on
/// test); attention dropout only in training (the reference keeps it on at test). Logged: loss, ce, kl (student), dec,
/// tag.
/// </summary>
[Method("tate", "TATE: tagged tokens of the available modalities, transformer encoder/decoder, distilled from a complete-data teacher")]
public sealed class Tate : TeacherStudentBaseline
{
    readonly double _klWeight, _decoderWeight, _tagWeight;
    readonly bool _constantTags, _teacherSeesComplete;

    Tate(MultimodalModel model, TateOptions o) : base(model, o)
    {
        _klWeight = o.KlWeight;
        _decoderWeight = o.DecoderWeight;
        _tagWeight = o.TagWeight;
        _constantTags = o.Tags == TateTags.Constant;
        _teacherSeesComplete = o.TeacherInput == TateTeacherInput.Complete;
    }

    public TateHead Head => (TateHead)Model.Head;

    public static Tate Create(TateOptions o, ModelParts parts)
    {
        if (parts.Modalities.Count < 2) throw new ArgumentException("Method tate needs at least two modalities (its common projections are pairwise).");
        int att = o.AttDim;
        int heads = o.Heads;
        int v = parts.Modalities.Count;
        if (att % (v - 1) != 0) throw new ArgumentException($"Method tate: att_dim={att} must split into {v - 1} pair projections (a multiple of {v - 1}).");
        if (att % heads != 0 || (att + v + 1) % heads != 0)
            throw new ArgumentException($"Method tate: att_dim={att} and the tagged width {att + v + 1} must both be divisible by heads={heads}.");
        nn.Module<Tensor, Tensor> Encoder(string m) => new TateModalityEncoder((int)parts.FeatureInputSize(m, "tate"), att, heads);
        var encoders = parts.Modalities.Select(m => (m, Encoder(m))).ToArray();
        var teachers = parts.Modalities.Select(m => (m, Encoder(m))).ToArray();
        return new Tate(new MultimodalModel(encoders, new TateHead(parts.Modalities, att, heads, parts.NumClasses, teachers)), o);
    }

    protected override (double? Teacher, double? Student) ClipNorms => (null, null);

    /// <summary>(B, V+1) tags: slot 0 when every modality is present, slot 1+i when modality i is missing; all rows (0, ..., 0, 1) when constant.</summary>
    public static Tensor Tags(IReadOnlyDictionary<string, Tensor> available, IReadOnlyList<string> modalities, bool constant)
    {
        long b = available[modalities[0]].shape[0];
        if (constant) return cat([zeros(b, modalities.Count), ones(b, 1)], 1);
        var missing = stack(modalities.Select(m => available[m].logical_not().to_type(ScalarType.Float32)).ToArray(), 1);
        var complete = missing.sum(1, keepdim: true).eq(0).to_type(ScalarType.Float32);
        return cat([complete, missing], 1);
    }

    /// <summary>
    /// sum over samples of the mean over tokens of KL(p || q) + KL(q || p), p = softmax(a), q = softmax(b) over the
    /// features (network.py: keras KLDivergence both ways, reduce_mean over tokens, reduce_sum over the batch).
    /// </summary>
    public static Tensor SymmetricKl(Tensor a, Tensor b)
    {
        var la = nn.functional.log_softmax(a, -1);
        var lb = nn.functional.log_softmax(b, -1);
        var kl = (la.exp() * (la - lb)).sum(-1) + (lb.exp() * (lb - la)).sum(-1);
        return kl.mean([-1]).sum();
    }

    /// <summary>mean over samples of mean |tag - sigmoid(pooled's last V+1 features)| (network.py tag_loss).</summary>
    public static Tensor TagLoss(Tensor tags, Tensor pooled) =>
        (tags - pooled.narrow(1, pooled.shape[1] - tags.shape[1], tags.shape[1]).sigmoid()).abs().mean();

    /// <summary>
    /// SigmoidAtt (module.py): H = (X Wu) * sigmoid(X Wm), a = softmax over tokens of H Wr, pooled = sum_t a_t X_t.
    /// X (B, T, D), Wr (D, 1), Wm and Wu (D, D); returns (B, D).
    /// </summary>
    public static Tensor Pool(Tensor x, Tensor wr, Tensor wm, Tensor wu)
    {
        var h = x.matmul(wu) * x.matmul(wm).sigmoid();
        var a = nn.functional.softmax(h.matmul(wr).squeeze(-1), -1);
        return a.unsqueeze(1).matmul(x).squeeze(1);
    }

    protected override Tensor TeacherLoss(Batch batch, IReadOnlyDictionary<string, Tensor> complete, StepResult log)
    {
        var tags = Tags(AllAvailable(batch), Modalities, _constantTags);
        var e = Modalities.ToDictionary(m => m, m => Model.Encoder(m).call(complete[m]));
        return Objective(Head.Forward(e, tags), tags, batch, null, log);
    }

    protected override Tensor StudentLoss(Batch batch, StepResult log)
    {
        var tags = Tags(batch.Available, Modalities, _constantTags);
        Tensor target;
        using (no_grad())
        {
            var teacherInputs = _teacherSeesComplete ? batch.CompleteInputs(Name) : batch.Inputs;
            var teacherTags = _teacherSeesComplete ? Tags(AllAvailable(batch), Modalities, _constantTags) : tags;
            target = Head.TeacherEncode(teacherInputs, teacherTags);
        }
        return Objective(Head.Forward(Model.Encode(batch), tags), tags, batch, target, log);
    }

    Tensor Objective(TateHead.Outputs o, Tensor tags, Batch batch, Tensor? teacherEncoding, StepResult log)
    {
        var ce = nn.functional.cross_entropy(o.Logits, batch.Labels, reduction: nn.Reduction.Sum);
        var dec = SymmetricKl(o.Decoded, o.Tokens);
        var tag = TagLoss(tags, o.Pooled);
        var loss = ce + Head.ClassifierL2() * 0.1 + dec * _decoderWeight + tag * _tagWeight;
        log.Add("ce", ce).Add("dec", dec).Add("tag", tag);
        if (teacherEncoding is not null)
        {
            var kl = SymmetricKl(o.Encoded, teacherEncoding);
            loss = loss + kl * _klWeight;
            log.Add("kl", kl);
        }
        return loss;
    }

    static Dictionary<string, Tensor> AllAvailable(Batch batch) => batch.Available.ToDictionary(kv => kv.Key, kv => ones_like(kv.Value));

    protected override Tensor Logits(Batch batch) => Head.Forward(Model.Encode(batch), Tags(batch.Available, Modalities, _constantTags)).Logits;
}

/// <summary>A TATE modality encoder: bias-free Dense(d, att) and a <see cref="TateBlock"/> over the utterance's one token.</summary>
public sealed class TateModalityEncoder : nn.Module<Tensor, Tensor>, IEncoder
{
    readonly Linear dense;
    readonly TateBlock block;

    public TateModalityEncoder(int inputDim, int att, int heads) : base(nameof(TateModalityEncoder))
    {
        dense = nn.Linear(inputDim, att, hasBias: false);
        block = new TateBlock(att, heads);
        FeatureDim = att;
        RegisterComponents();
    }

    public int FeatureDim { get; }

    public override Tensor forward(Tensor x) => block.call(dense.call(x).unsqueeze(1)).squeeze(1);
}

/// <summary>TATE's modules besides the modality encoders, and the frozen teacher copies of what the KL target needs.</summary>
public sealed class TateHead : TeacherStudentHead
{
    readonly ModuleDict<Linear> common;
    readonly ModuleDict<Linear> common_teacher;
    readonly TateBlock encoder;
    readonly TateBlock encoder_teacher;
    readonly TateBlock decoder;
    readonly Parameter Wr_wq, Wm_wq, Wu_wq;
    readonly Linear dense;
    readonly Linear classifier;
    readonly (int I, int J)[] _pairs;

    public TateHead(IReadOnlyList<string> modalities, int att, int heads, int numClasses,
        IReadOnlyList<(string Modality, nn.Module<Tensor, Tensor> Encoder)> teachers)
        : base(nameof(TateHead), modalities, att, numClasses, teachers)
    {
        int v = modalities.Count, tagged = att + v + 1;
        _pairs = Data.Modalities.Pairs(v);
        common = nn.ModuleDict<Linear>();
        common_teacher = nn.ModuleDict<Linear>();
        foreach (var (i, j) in _pairs)
        {
            common.Add(PairName(i, j), nn.Linear(att, att / (v - 1), hasBias: false));
            common_teacher.Add(PairName(i, j), nn.Linear(att, att / (v - 1), hasBias: false));
        }
        encoder = new TateBlock(tagged, heads);
        encoder_teacher = new TateBlock(tagged, heads);
        decoder = new TateBlock(tagged, heads);
        Wr_wq = new Parameter(empty(tagged, 1));
        Wm_wq = new Parameter(empty(tagged, tagged));
        Wu_wq = new Parameter(empty(tagged, tagged));
        foreach (var w in new[] { Wr_wq, Wm_wq, Wu_wq }) nn.init.xavier_uniform_(w);
        dense = nn.Linear(tagged, att, hasBias: false);
        classifier = nn.Linear(att, numClasses);
        RegisterComponents();
    }

    string PairName(int i, int j) => $"{Data.Modalities.Tag(Modalities[i])}{Data.Modalities.Tag(Modalities[j])}";

    /// <summary>The tagged tokens, the encoder's and decoder's outputs (B, V, att + V + 1), the pooled encoding and the logits.</summary>
    public sealed record Outputs(Tensor Tokens, Tensor Encoded, Tensor Decoded, Tensor Pooled, Tensor Logits);

    IEnumerable<Parameter> Trained() => named_parameters()
        .Where(p => !p.name.StartsWith("teacher.") && !p.name.StartsWith("common_teacher.") && !p.name.StartsWith("encoder_teacher."))
        .Select(p => p.parameter);

    public override IEnumerable<Parameter> TeacherHeadParameters() => Trained();
    public override IEnumerable<Parameter> StudentParameters() => Trained();

    public override void FreezeTeacher(IReadOnlyDictionary<string, nn.Module<Tensor, Tensor>> encoders)
    {
        base.FreezeTeacher(encoders);
        using var noGrad = no_grad();
        Freeze(common_teacher, common);
        Freeze(encoder_teacher, encoder);
    }

    /// <summary>(B, V, att + V + 1): each modality's pair projections concatenated, the tags appended to every token.</summary>
    Tensor Tokens(IReadOnlyDictionary<string, Tensor> embeddings, Tensor tags, ModuleDict<Linear> projections)
    {
        var tokens = Modalities.Select((m, i) => cat(_pairs.Where(p => p.I == i || p.J == i)
            .Select(p => projections[PairName(p.I, p.J)].call(embeddings[m])).ToArray(), 1)).ToArray();
        var x = stack(tokens, 1);
        return cat([x, tags.unsqueeze(1).expand(x.shape[0], x.shape[1], tags.shape[1])], 2);
    }

    public Outputs Forward(IReadOnlyDictionary<string, Tensor> embeddings, Tensor tags)
    {
        var tokens = Tokens(embeddings, tags, common);
        var enc = encoder.call(tokens);
        var dec = decoder.call(enc);
        var pooled = Tate.Pool(enc, Wr_wq, Wm_wq, Wu_wq);
        return new Outputs(tokens, enc, dec, pooled, classifier.call(dense.call(pooled)));
    }

    /// <summary>The frozen teacher's encoder output for <paramref name="inputs"/> under <paramref name="tags"/> (evaluation mode).</summary>
    public Tensor TeacherEncode(IReadOnlyDictionary<string, Tensor> inputs, Tensor tags)
    {
        encoder_teacher.eval();
        return encoder_teacher.call(Tokens(TeacherEmbeddings(inputs), tags, common_teacher));
    }

    /// <summary>l2_regularizer(1e-4) on the classifier (W_l, b_l): 1e-4 * (|W|^2 + |b|^2) / 2.</summary>
    public Tensor ClassifierL2() => (classifier.weight!.pow(2).sum() + classifier.bias!.pow(2).sum()) * (1e-4 / 2);

    public override Tensor Fuse(IReadOnlyDictionary<string, Tensor> features) =>
        throw new NotSupportedException("TATE predicts through Tate.Predict (its tags need the availability).");

    public override Tensor Unimodal(string modality, IReadOnlyDictionary<string, Tensor> features) =>
        throw new NotSupportedException("TATE has no unimodal branch.");
}
