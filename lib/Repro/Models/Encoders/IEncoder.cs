using static TorchSharp.torch;

namespace Repro.Models.Encoders;

/// <summary>
/// An encoder maps one modality's batch input to (B, FeatureDim) features; an encoder cut before its pooling for an
/// intermediate fusion (<see cref="ResNet18Front"/>) gives a feature map (B, FeatureDim, ...), FeatureDim its channels.
/// </summary>
public interface IEncoder
{
    int FeatureDim { get; }
    Tensor call(Tensor input);
}
