using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Methods;

/// <summary>
/// What a method needs to build its model: the dataset's modalities (in order), an encoder factory and the task size.
/// Methods choose which encoders they use and which head sits on top.
/// </summary>
public sealed record ModelParts(IReadOnlyList<string> Modalities, Func<string, nn.Module<Tensor, Tensor>> BuildEncoder, int NumClasses, bool MultiLabel = false)
{
    /// <summary>The dataset's description (input shapes), for methods that size their own encoders (U2A).</summary>
    public Data.DatasetInfo? Info { get; init; }

    public IReadOnlyList<(string Modality, nn.Module<Tensor, Tensor> Encoder)> Encoders(IEnumerable<string>? only = null) =>
        (only ?? Modalities).Select(m => (m, BuildEncoder(m))).ToArray();
}
