using System.Reflection;
using System.Text.Json.Nodes;
using Repro.Methods;
using Repro.Training;
using static TorchSharp.torch;

namespace Repro.Parity;

/// <summary>
/// What a method family adds to the parity replay, one subclass per family in its folder (e.g. Methods/Mla/MlaParity.cs), found by
/// reflection: fixture-to-kit name mapping, checks of method state after training, adjustments of the replay's
/// training configuration, or a whole replay for fixtures that do not train.
/// </summary>
public abstract class ParityAdapter
{
    /// <summary>The fixture `method` field this adapter serves.</summary>
    public abstract string Method { get; }

    /// <summary>The options the method is created with: the fixture's `options` (a copy), plus whatever selects the
    /// variant the fixture replays when the fixture does not name it (e.g. G-Blending's BalanceBenchmark variant).</summary>
    public virtual JsonObject MethodOptions(ParityFixture fixture) => (JsonObject)fixture.Options.DeepClone();

    /// <summary>A fixture loss column to the name the kit's method logs it under (e.g. D&amp;R's `loss_fused` is the kit's `loss`).</summary>
    public virtual string LossColumn(string fixtureColumn) => fixtureColumn;

    /// <summary>Official tensor name (without `init/` or `epochK/`) to the kit's state-dict name.</summary>
    public virtual string MapName(string official) => official;

    /// <summary>A full replay for fixtures that are not training runs; null to use the training replay.</summary>
    public virtual ParityReport? Replay(ParityFixture fixture, Dictionary<string, Tensor> tensors) => null;

    /// <summary>Changes to the replay's training configuration (e.g. a scheduler quirk).</summary>
    public virtual TrainConfig Configure(ParityFixture fixture, TrainConfig config) => config;

    /// <summary>Called after the fixture's initial weights are loaded (e.g. to hand the method recorded random draws).</summary>
    public virtual void Prepare(ParityFixture fixture, Dictionary<string, Tensor> tensors, Method method) { }

    /// <summary>Checks of method state after training: name -> (largest error, within tolerance).</summary>
    public virtual Dictionary<string, (double Error, bool Ok)> CheckState(ParityFixture fixture, Dictionary<string, Tensor> tensors, Method method) => new();

    static readonly Lazy<Dictionary<string, ParityAdapter>> All = new(() =>
        typeof(ParityAdapter).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(ParityAdapter)) && !t.IsAbstract && t.GetConstructor(Type.EmptyTypes) is not null)
            .Select(t => (ParityAdapter)Activator.CreateInstance(t)!)
            .ToDictionary(a => a.Method));

    public static ParityAdapter For(string method) => All.Value.TryGetValue(method, out var a) ? a : new DefaultAdapter(method);

    public static bool HasReplay(string method) => All.Value.ContainsKey(method);

    sealed class DefaultAdapter(string method) : ParityAdapter
    {
        public override string Method => method;
    }
}
