using Repro.Models;
using Repro.Models.Fusion;
using TorchSharp;
using static TorchSharp.torch;
using Repro.Methods.U2a;

namespace Repro.Methods;

/// <summary>
/// What a method needs to build its model: the dataset's modalities (in order), an encoder factory and the task size.
/// Methods choose which encoders they use and which head sits on top.
/// </summary>
public sealed record ModelParts(IReadOnlyList<string> Modalities, Func<string, nn.Module<Tensor, Tensor>> BuildEncoder, int NumClasses, bool MultiLabel = false)
{
    /// <summary>The dataset's description (input shapes), for methods that size their own encoders (U2A).</summary>
    public Data.DatasetInfo? Info { get; init; }

    /// <summary>
    /// Where the experiment runner offers pretrained encoders (the embedded stand-in's, <c>u2a-pretrain</c>): the path of a
    /// safetensors checkpoint in the published layout for a modality's tiny U2A encoder of the given size; null when none is offered.
    /// </summary>
    public Func<string, U2aEncoderSize, string>? PretrainedEncoder { get; init; }

    /// <summary>
    /// The size of a modality's pre-extracted feature vectors (its encoder is a <see cref="Models.Encoders.FeatureMlp"/>),
    /// for methods that read the features themselves (the missing-modality baselines); refused for other encoders.
    /// </summary>
    public long FeatureInputSize(string modality, string method) => BuildEncoder(modality) switch
    {
        Models.Encoders.FeatureMlp f => f.InputDim,
        var e => throw new ArgumentException($"Method {method} reads pre-extracted feature vectors (FeatureMlp encoders, e.g. iemocap); modality '{modality}' has a {e.GetType().Name}."),
    };

    public IReadOnlyList<(string Modality, nn.Module<Tensor, Tensor> Encoder)> Encoders(IEnumerable<string>? only = null) =>
        (only ?? Modalities).Select(m => (m, BuildEncoder(m))).ToArray();

    /// <summary>
    /// An encoder per modality under the fusion head the options name (<see cref="FusionOptions"/>); <paramref name="wrap"/>
    /// decorates the head (auxiliary unimodal heads). fusion=mmtm builds an <see cref="MmtmFusion"/> model (the encoders
    /// cut after layer2), which takes no wrapper: its unimodal logits zero the other modality's map (DGL §4.3).
    /// </summary>
    public MultimodalModel FusionModel(FusionOptions o, Func<FusionHead, FusionHead>? wrap = null)
    {
        if (o.ConditionedBy is not null && o.Fusion != FusionKind.Film) throw new ArgumentException("Option conditioned_by applies to fusion=film only.");
        if (o.GateFrom is not null && o.Fusion != FusionKind.Gated) throw new ArgumentException("Option gate_from applies to fusion=gated only.");
        var mmtm = o.MmtmSettings();
        if (o.Fusion == FusionKind.Mmtm)
        {
            if (wrap is not null) throw new ArgumentException("fusion=mmtm takes no auxiliary heads: its unimodal logits are the fusion module's with the other modality zeroed.");
            return MmtmModel(mmtm);
        }
        var steering = o.Fusion == FusionKind.Film ? o.ConditionedBy ?? Modalities[0]
                     : o.Fusion == FusionKind.Gated ? o.GateFrom ?? Modalities[0] : null;
        var encoders = Encoders();
        var d = ((Models.Encoders.IEncoder)encoders[0].Encoder).FeatureDim;
        var head = FusionHeads.Create(o.Fusion, Modalities, d, NumClasses, steering, o.MixerSettings());
        return new MultimodalModel(encoders, wrap is null ? head : wrap(head));
    }

    /// <summary>The dataset's two ResNet-18 encoders joined by MMTM (<see cref="MmtmFusion.Model"/>).</summary>
    public MultimodalModel MmtmModel(MmtmSettings settings)
    {
        if (Modalities.Count != 2)
            throw new ArgumentException($"fusion=mmtm joins exactly two modalities; the dataset has {Modalities.Count} ({string.Join(", ", Modalities)}).");
        return MmtmFusion.Model(Encoders(), NumClasses, settings);
    }
}
