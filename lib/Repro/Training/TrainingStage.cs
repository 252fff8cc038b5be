namespace Repro.Training;

/// <summary>
/// One stage of a method's training, run by the trainer in order (methods not trained by gradient
/// steps alone declare stages; there is one loop). A gradient stage runs <see cref="Epochs"/> epochs of
/// <see cref="ITrainable.TrainStep"/> with an optimizer over the parameters the method makes trainable when the stage
/// begins (<see cref="ITrainable.EnterStage"/>), its learning-rate schedule restarting at the stage's first epoch. A fit
/// stage (<see cref="Fit"/>) is one epoch in which the method solves something on the loaders
/// (<see cref="ITrainable.FitStage"/>: a CCA and a linear SVM, a closed form). Every stage's epochs are evaluated and
/// recorded; only <see cref="Selectable"/> stages compete for the selected epoch (a teacher stage does not).
/// </summary>
public sealed record TrainingStage(string Name, int Epochs, bool Fit = false, bool Selectable = true)
{
    public static TrainingStage Gradient(string name, int epochs, bool selectable = true) => new(name, epochs, false, selectable);
    public static TrainingStage Solve(string name, bool selectable = true) => new(name, 1, true, selectable);

    /// <summary>Refuses empty stage lists, stages without epochs, and lists whose last stage cannot be selected.</summary>
    public static void Check(IReadOnlyList<TrainingStage> stages, string method)
    {
        if (stages.Count == 0) throw new InvalidOperationException($"Method {method} declares no training stage.");
        foreach (var s in stages)
        {
            if (s.Epochs < 1) throw new InvalidOperationException($"Method {method}: stage '{s.Name}' has {s.Epochs} epochs; expected at least 1.");
            if (s.Fit && s.Epochs != 1) throw new InvalidOperationException($"Method {method}: fit stage '{s.Name}' must be one epoch.");
        }
        if (!stages[^1].Selectable) throw new InvalidOperationException($"Method {method}: the last stage ('{stages[^1].Name}') must be selectable.");
    }
}
