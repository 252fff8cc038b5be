using Repro.Data;
using Repro.Models;
using Repro.Models.Fusion;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Repro.Training;

namespace Repro.Methods;

/// <summary>
/// The two-stage staging MMIN and IF-MMIN share (GCNet baseline-mmin mmin_model.py:54-75,141-151; IF-MMIN
/// IFMMIN_model.py:185-238; docs/missing-modality.md#baselines): a teacher stage trains the encoders and a teacher head on COMPLETE
/// training features (the withheld truth, <see cref="Batch.Complete"/>) and is not selectable; when the student stage
/// begins, a frozen copy of the trained teacher networks (<see cref="TeacherStudentHead.FreezeTeacher"/>) becomes the
/// teacher and the encoders continue, with the student's modules, on the masked features. Subclasses give each
/// stage's loss. Options: teacher_epochs (default: the profile's epochs; the student gets as many).
/// </summary>
public abstract class TeacherStudentBaseline : FeatureBaseline
{
    readonly int? _teacherEpochs;

    protected TeacherStudentBaseline(MultimodalModel model, TeacherStudentOptions o) : base(model, o) => _teacherEpochs = o.TeacherEpochs;

    public TeacherStudentHead TeacherStudent => (TeacherStudentHead)Model.Head;

    /// <summary>The gradient-norm clip of the teacher and student steps (null: none).</summary>
    protected abstract (double? Teacher, double? Student) ClipNorms { get; }

    /// <summary>The teacher stage's loss on complete inputs; log what it is made of in <paramref name="log"/>.</summary>
    protected abstract Tensor TeacherLoss(Batch batch, IReadOnlyDictionary<string, Tensor> complete, StepResult log);

    /// <summary>The student stage's loss on the masked batch.</summary>
    protected abstract Tensor StudentLoss(Batch batch, StepResult log);

    public override IReadOnlyList<TrainingStage> Stages(int epochs) =>
        [TrainingStage.Gradient("teacher", _teacherEpochs ?? epochs, selectable: false), TrainingStage.Gradient("student", epochs)];

    public override void EnterStage(TrainingStage stage, EpochContext ctx)
    {
        if (stage.Name == "student") TeacherStudent.FreezeTeacher(Modalities.ToDictionary(m => m, Model.Encoder));
        TeacherStudent.Student = stage.Name == "student";
    }

    public override IEnumerable<Parameter> TrainableParameters() =>
        Modalities.SelectMany(Model.EncoderParameters).Concat(TeacherStudent.Student ? TeacherStudent.StudentParameters() : TeacherStudent.TeacherHeadParameters());

    public override StepResult TrainStep(Batch batch, StepContext ctx)
    {
        ctx.ZeroGrad();
        var result = new StepResult();
        var loss = TeacherStudent.Student ? StudentLoss(batch, result) : TeacherLoss(batch, batch.CompleteInputs(Name), result);
        loss.backward();
        if ((TeacherStudent.Student ? ClipNorms.Student : ClipNorms.Teacher) is { } norm) Clip(norm);
        ctx.Step();
        return result.Add("loss", loss);
    }

    /// <summary>
    /// T = cat(teacher_m(x_m * (1 - mask_m))) with the frozen teacher in evaluation mode, no gradient (mmin_model.py
    /// 141-151, IFMMIN_model.py forward): only the missing modalities' true features enter it.
    /// </summary>
    public Tensor TeacherTarget(Batch batch)
    {
        var hidden = OnlyMissing(batch, batch.CompleteInputs(Name));
        using var noGrad = no_grad();
        return TeacherStudent.Teach(hidden);
    }
}

/// <summary>
/// The frozen teacher encoders (one per modality) and the stage flag; subclasses add the teacher head, the student's
/// modules and any other network the teacher keeps (<see cref="FreezeTeacher"/>).
/// </summary>
public abstract class TeacherStudentHead : FusionHead
{
    // protected so that the subclass's RegisterComponents registers it (as "teacher")
    protected readonly ModuleDict<nn.Module<Tensor, Tensor>> teacher;

    protected TeacherStudentHead(string name, IReadOnlyList<string> modalities, int featureDim, int numClasses,
        IReadOnlyList<(string Modality, nn.Module<Tensor, Tensor> Encoder)> teachers)
        : base(name, modalities, featureDim, numClasses)
    {
        teacher = nn.ModuleDict<nn.Module<Tensor, Tensor>>();
        foreach (var (m, e) in teachers) teacher.Add(m, e);
    }

    /// <summary>True in the student stage (set by the method when a stage begins).</summary>
    public bool Student { get; set; }

    public abstract IEnumerable<Parameter> TeacherHeadParameters();
    public abstract IEnumerable<Parameter> StudentParameters();

    /// <summary>Copies the trained encoders into the teacher and freezes it.</summary>
    public virtual void FreezeTeacher(IReadOnlyDictionary<string, nn.Module<Tensor, Tensor>> encoders)
    {
        using var noGrad = no_grad();
        foreach (var m in Modalities) Freeze(teacher[m], encoders[m]);
    }

    /// <summary>Loads <paramref name="trained"/>'s weights into <paramref name="copy"/> and stops its gradients.</summary>
    protected static void Freeze(nn.Module copy, nn.Module trained)
    {
        copy.load_state_dict(trained.state_dict());
        foreach (var p in copy.parameters()) p.requires_grad = false;
    }

    /// <summary>The frozen teacher's embeddings, per modality in evaluation mode.</summary>
    public Dictionary<string, Tensor> TeacherEmbeddings(IReadOnlyDictionary<string, Tensor> inputs) =>
        Modalities.ToDictionary(m => m, m =>
        {
            teacher[m].eval();
            return teacher[m].call(inputs[m]);
        });

    /// <summary>cat over the modalities of the frozen teacher's embeddings.</summary>
    public Tensor Teach(IReadOnlyDictionary<string, Tensor> inputs)
    {
        var e = TeacherEmbeddings(inputs);
        return cat(Modalities.Select(m => e[m]).ToArray(), 1);
    }
}
