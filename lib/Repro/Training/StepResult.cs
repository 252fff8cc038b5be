using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Training;

/// <summary>Scalar losses of one step, by name ("loss", "loss_a", "loss_v", ...).</summary>
public sealed class StepResult
{
    public Dictionary<string, double> Losses { get; } = new();
    public StepResult Add(string name, Tensor scalar) { Losses[name] = scalar.item<float>(); return this; }
    public StepResult Add(string name, double value) { Losses[name] = value; return this; }
}
