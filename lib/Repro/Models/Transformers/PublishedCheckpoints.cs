using Repro.Native;

namespace Repro.Models.Transformers;

/// <summary>
/// Where each encoder sits in its published checkpoint (names from huggingface/transformers' modelling files), as data
/// for <see cref="WeightLoader"/>: the prefix selecting the sub-tree, legacy renames, and saved buffers that are not
/// module tensors (position_ids, saved by older transformers versions).
/// </summary>
public static class PublishedCheckpoints
{
    /// <summary>openai/clip-vit-base-patch16 (CLIPModel): the vision tower without the text tower or the projections.</summary>
    public static WeightLoadOptions ClipVision { get; } = new()
    {
        Prefix = "vision_model.",
        IgnoreUnexpected = [@"^embeddings\.position_ids$"],
    };

    /// <summary>bert-base-uncased (BertForPreTraining): the encoder and pooler without the pre-training heads (cls.*); gamma/beta are LayerNorm weight/bias.</summary>
    public static WeightLoadOptions Bert { get; } = new()
    {
        Prefix = "bert.",
        Renames = [(@"\.gamma$", ".weight"), (@"\.beta$", ".bias")],
        IgnoreUnexpected = [@"^embeddings\.position_ids$"],
    };

    /// <summary>MIT/ast-finetuned-audioset-10-10-0.4593 (ASTForAudioClassification): the model without its classifier.</summary>
    public static WeightLoadOptions Ast { get; } = new()
    {
        Prefix = "audio_spectrogram_transformer.",
    };

    public static WeightLoadOptions For(ITokenEncoder encoder) => encoder switch
    {
        ClipVisionTransformer => ClipVision,
        BertModel => Bert,
        AstModel => Ast,
        _ => throw new ArgumentException($"No published checkpoint layout is known for {encoder.GetType().Name}."),
    };

    /// <summary>The prefix under which the kit writes an encoder so that it loads like the published file.</summary>
    public static string PrefixOf(ITokenEncoder encoder) => For(encoder).Prefix;
}
