using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Repro.Models.Encoders;

/// <summary>The parity fixtures' text encoder (`tinymlp`): fc1 = Linear(in, hidden) -> ReLU -> fc2 = Linear(hidden, d).</summary>
public sealed class TinyMlp : Module<Tensor, Tensor>, IEncoder
{
    readonly Linear fc1;
    readonly Linear fc2;

    public int FeatureDim { get; }

    public TinyMlp(long inputDim, long hidden, int featureDim) : base(nameof(TinyMlp))
    {
        fc1 = Linear(inputDim, hidden);
        fc2 = Linear(hidden, featureDim);
        FeatureDim = featureDim;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => fc2.call(functional.relu(fc1.call(x)));
}
