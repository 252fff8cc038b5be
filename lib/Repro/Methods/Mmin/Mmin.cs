using Repro.Data;
using Repro.Models;
using Repro.Models.Encoders;
using Repro.Models.Fusion;
using Repro.Models.Missing;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Repro.Training;

namespace Repro.Methods.Mmin;

/// <summary>
/// MMIN, the Missing Modality Imagination Network (Zhao et al., ACL 2021) as GCNet's suite runs it on utterance
/// features (baseline-mmin models/mmin_model.py:54-75,141-151,160-199; docs/missing-modality.md#baselines), in two stages the
/// trainer runs in order:
/// <list type="number">
/// <item>teacher (utt_fusion): the encoders and netC_teacher = FcClassifier(3d -> C) trained with CE on COMPLETE
///   training features (the withheld truth, <see cref="Batch.Complete"/>). Not selectable.</item>
/// <item>student: the encoders continue from the teacher stage; a frozen copy of them is the teacher.
///   h = cat(enc_m(x_m * mask_m)); recon, latents = AE(h) (ResidualAE); recon_cycle = AE_cycle(recon);
///   logits = netC(cat(latents)); the imagination target T = cat(teacher_m(x_m * (1 - mask_m))): the teacher sees only
///   the MISSING modalities, the present ones zeroed (<see cref="TeacherTarget"/>);
///   loss = CE + mse_weight * MSE(recon, T) + cycle_weight * MSE(recon_cycle, h.detach()).</item>
/// </list>
/// Options: ae_layers (default 256,128,64), n_blocks (5), mse_weight (4), cycle_weight (2) (GCNet README example),
/// teacher_epochs (default: the profile's epochs; the student gets as many; <see cref="TeacherStudentBaseline"/>). Differs: GCNet's teacher uses dropout 0.3,
/// beta1 0.9 and kaiming init; here the encoders' dropout (0.5) and the kit's initialisation. The official MMIN runs
/// LSTM/TextCNN encoders on frame-level features and six fixed missing conditions: a different protocol.
/// Logged: loss, ce, mse, cycle (student); loss (teacher).
/// </summary>
[Method("mmin", "MMIN: missing-modality imagination (residual AE + cycle) distilled from a complete-data teacher")]
public sealed class Mmin : TeacherStudentBaseline
{
    readonly double _mseWeight, _cycleWeight;

    Mmin(MultimodalModel model, MminOptions o, double mse, double cycle) : base(model, o)
    {
        _mseWeight = mse;
        _cycleWeight = cycle;
    }

    public MminHead Head => (MminHead)Model.Head;

    public static Mmin Create(MminOptions o, ModelParts parts)
    {
        var layers = o.AeLayers.ToArray();
        int blocks = o.NBlocks;
        var mse = o.MseWeight;
        var cycle = o.CycleWeight;
        var encoders = parts.Encoders();
        int d = ((IEncoder)encoders[0].Encoder).FeatureDim;
        var head = new MminHead(parts.Modalities, d, parts.NumClasses, parts.Encoders(), layers, blocks);
        return new Mmin(new MultimodalModel(encoders, head), o, mse, cycle);
    }

    protected override (double? Teacher, double? Student) ClipNorms => (5, 5);

    protected override Tensor TeacherLoss(Batch batch, IReadOnlyDictionary<string, Tensor> complete, StepResult log) =>
        TaskLoss(Head.TeacherLogits(Cat(Modalities.ToDictionary(m => m, m => Model.Encoder(m).call(complete[m])))), batch);

    protected override Tensor StudentLoss(Batch batch, StepResult log)
    {
        var h = Cat(Model.Encode(batch));
        var (logits, recon, cycle) = Head.StudentForward(h);
        var ce = TaskLoss(logits, batch);
        var mse = nn.functional.mse_loss(recon, TeacherTarget(batch));
        var cyc = nn.functional.mse_loss(cycle, h.detach());
        log.Add("ce", ce).Add("mse", mse).Add("cycle", cyc);
        return ce + mse * _mseWeight + cyc * _cycleWeight;
    }

    protected override Tensor Logits(Batch batch)
    {
        var h = Cat(Model.Encode(batch));
        return Head.Student ? Head.StudentForward(h).Logits : Head.TeacherLogits(h);
    }
}

/// <summary>MMIN's modules besides the encoders: the frozen teacher encoders (<see cref="TeacherStudentHead"/>), both classifiers, the AE and the cycle AE.</summary>
public sealed class MminHead : TeacherStudentHead
{
    readonly FeatureMlp netC_teacher;
    readonly ResidualAe netAE;
    readonly ResidualAe netAE_cycle;
    readonly FeatureMlp netC;

    public MminHead(IReadOnlyList<string> modalities, int featureDim, int numClasses,
        IReadOnlyList<(string Modality, nn.Module<Tensor, Tensor> Encoder)> teachers, int[] layers, int blocks)
        : base(nameof(MminHead), modalities, featureDim, numClasses, teachers)
    {
        int fused = featureDim * modalities.Count;
        netC_teacher = new FeatureMlp(fused, 128, numClasses);
        netAE = new ResidualAe(fused, layers, blocks);
        netAE_cycle = new ResidualAe(fused, layers, blocks);
        netC = new FeatureMlp(blocks * layers[^1], 128, numClasses);
        RegisterComponents();
    }

    public override IEnumerable<Parameter> TeacherHeadParameters() => netC_teacher.parameters();
    public override IEnumerable<Parameter> StudentParameters() => netAE.parameters().Concat(netAE_cycle.parameters()).Concat(netC.parameters());

    public Tensor TeacherLogits(Tensor h) => netC_teacher.call(h);

    public (Tensor Logits, Tensor Reconstruction, Tensor Cycle) StudentForward(Tensor h)
    {
        var (recon, latents) = netAE.Forward(h);
        var (cycle, _) = netAE_cycle.Forward(recon);
        return (netC.call(cat(latents, 1)), recon, cycle);
    }

    public override Tensor Fuse(IReadOnlyDictionary<string, Tensor> features)
    {
        var h = cat(Ordered(features), 1);
        return Student ? StudentForward(h).Logits : TeacherLogits(h);
    }

    public override Tensor Unimodal(string modality, IReadOnlyDictionary<string, Tensor> features) =>
        throw new NotSupportedException("MMIN has no unimodal branch.");
}
