namespace Repro.Methods;

/// <summary>What the missing-modality baselines of MLA Table 2 share (<see cref="FeatureBaseline"/>): their optimiser.</summary>
public abstract record FeatureBaselineOptions : MethodOptions
{
    [Option("optimizer", "the optimiser", Source = "GCNet: Adam lr 1e-3 (beta1 0.5, decaying after 20 epochs; the kit keeps beta1 0.9, constant)")]
    public FeatureOptimizer Optimizer { get; init; } = FeatureOptimizer.Adam;

    [Option("lr", "Adam's constant learning rate (optimizer=adam)", Min = 0)]
    public double Lr { get; init; } = 1e-3;
}

/// <summary>The suite's own optimiser, or the run's.</summary>
public enum FeatureOptimizer
{
    [Choice("adam", "Adam at a constant learning rate, no weight decay (GCNet)")]
    Adam,
    [Choice("profile", "the profile's optimiser and schedule, as MLA runs")]
    Profile,
}

/// <summary>The baselines distilled from a complete-data teacher (<see cref="TeacherStudentBaseline"/>: MMIN, IF-MMIN, TATE).</summary>
public abstract record TeacherStudentOptions : FeatureBaselineOptions
{
    [Option("teacher_epochs", "epochs of the teacher stage (the student gets the profile's)", Min = 1, Default = "the profile's epochs")]
    public int? TeacherEpochs { get; init; }
}
