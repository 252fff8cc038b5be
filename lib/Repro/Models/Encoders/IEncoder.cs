using static TorchSharp.torch;

namespace Repro.Models.Encoders;

/// <summary>An encoder maps one modality's batch input to (B, FeatureDim) features.</summary>
public interface IEncoder
{
    int FeatureDim { get; }
    Tensor call(Tensor input);
}
