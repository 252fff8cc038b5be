using System.Reflection;
using Repro.Data;
using Repro.Training;

namespace Repro.Evaluation.Probes;

/// <summary>
/// A measurement taken during training, on every <see cref="Every"/>-th step, before the method's own step
/// (so it sees the same weights and batch). It must leave gradients as it found them. Its per-epoch summary is
/// recorded in the epoch's history (EpochRecord.Probes), prefixed with the probe's name.
/// </summary>
public interface IStepProbe
{
    string Name { get; }
    int Every { get; }
    void Observe(ITrainable method, Batch batch, StepContext ctx);
    /// <summary>
    /// On a sampled step, called before each optimizer step the method takes, with the gradients it is about to apply
    /// in the parameters' .grad; it must leave them as they are.
    /// </summary>
    void ObserveGradients(ITrainable method, StepContext ctx) { }
    /// <summary>The epoch's summary; the probe then starts a new epoch.</summary>
    Dictionary<string, double> EndEpoch();
}

/// <summary>Marks an <see cref="IStepProbe"/> with a name; the class needs a constructor taking (int every).</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class StepProbeAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}

/// <summary>Probes by name, e.g. "grad-suppression" (off by default; a run asks for them with a sampling period).</summary>
public static class StepProbes
{
    static readonly Lazy<Dictionary<string, Type>> Types = new(() =>
        typeof(StepProbes).Assembly.GetTypes()
            .Select(t => (t, a: t.GetCustomAttribute<StepProbeAttribute>()))
            .Where(x => x.a is not null)
            .ToDictionary(x => x.a!.Name, x => x.t));

    public static IEnumerable<string> Names => Types.Value.Keys.Order();

    public static IStepProbe Create(string name, int every) =>
        Types.Value.TryGetValue(name, out var t)
            ? (IStepProbe)Activator.CreateInstance(t, every)!
            : throw new ArgumentException($"Unknown probe '{name}'; known: {string.Join(", ", Names)}.");
}
