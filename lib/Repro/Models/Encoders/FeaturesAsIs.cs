using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Repro.Models.Encoders;

/// <summary>No encoder: the modality's feature vector as it is (B, d). For methods that work on the raw features (CCA).</summary>
public sealed class FeaturesAsIs : Module<Tensor, Tensor>, IEncoder
{
    public FeaturesAsIs(int dim) : base(nameof(FeaturesAsIs)) => FeatureDim = dim;

    public int FeatureDim { get; }

    public override Tensor forward(Tensor x) => x;
}
