using Repro.Data;
using Repro.Models.Encoders;
using Repro.Models.Fusion;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Repro.Models;

/// <summary>
/// One encoder per modality, registered as "{modality}_net" (audio_net, visual_net, text_net, as in the official
/// code), and a head registered as "fusion_module". Parameter names are therefore those of the official checkpoints.
/// </summary>
public sealed class MultimodalModel : nn.Module
{
    readonly Dictionary<string, nn.Module<Tensor, Tensor>> _encoders = new();

    public MultimodalModel(IReadOnlyList<(string Modality, nn.Module<Tensor, Tensor> Encoder)> encoders, FusionHead head)
        : base(nameof(MultimodalModel))
    {
        Modalities = encoders.Select(e => e.Modality).ToArray();
        if (!Modalities.SequenceEqual(head.Modalities))
            throw new ArgumentException($"Head modalities ({string.Join(", ", head.Modalities)}) differ from encoders ({string.Join(", ", Modalities)}).");
        foreach (var (m, enc) in encoders)
        {
            if (enc is not IEncoder) throw new ArgumentException($"Encoder for {m} ({enc.GetType().Name}) does not implement IEncoder.");
            _encoders[m] = enc;
            register_module(Data.Modalities.NetName(m), enc);
        }
        Head = head;
        register_module("fusion_module", head);
    }

    public IReadOnlyList<string> Modalities { get; }
    public FusionHead Head { get; }
    public nn.Module<Tensor, Tensor> Encoder(string modality) =>
        _encoders.TryGetValue(modality, out var e) ? e : throw new ArgumentException($"Model has no encoder for '{modality}'.");
    public int FeatureDim(string modality) => ((IEncoder)Encoder(modality)).FeatureDim;

    /// <summary>Features of every modality, (B, d) each.</summary>
    public Dictionary<string, Tensor> Encode(Batch batch) =>
        Modalities.ToDictionary(m => m, m => Encoder(m).call(batch.Inputs[m]));

    public IEnumerable<Parameter> EncoderParameters(string modality) => Encoder(modality).parameters();
    public IEnumerable<Parameter> HeadParameters() => Head.parameters();
}
