using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Models.Fusion;

/// <summary>
/// A head that fuses per-modality features (B, d each) into class logits, and gives the unimodal logits that
/// MLA's Table 1 reports for it ("Unimodal and Multimodal Evaluation", MLA §4.1.1).
/// Modalities are ordered; the first is the official code's x (audio), the second its y (visual).
/// </summary>
public abstract class FusionHead : nn.Module
{
    protected FusionHead(string name, IReadOnlyList<string> modalities, int featureDim, int numClasses) : base(name)
    {
        if (modalities.Count < 1) throw new ArgumentException("A fusion head needs at least one modality.");
        Modalities = modalities;
        FeatureDim = featureDim;
        NumClasses = numClasses;
    }

    public IReadOnlyList<string> Modalities { get; }
    public int FeatureDim { get; }
    public int NumClasses { get; }

    /// <summary>Fused logits (B, C).</summary>
    public abstract Tensor Fuse(IReadOnlyDictionary<string, Tensor> features);

    /// <summary>Fused logits with no gradient reaching the encoders (DGL eq. 9-10: the head sees detached features).</summary>
    public virtual Tensor FuseTruncated(IReadOnlyDictionary<string, Tensor> features) =>
        Fuse(features.ToDictionary(kv => kv.Key, kv => kv.Value.detach()));

    /// <summary>The logits of modality <paramref name="modality"/> alone, as MLA Table 1 evaluates this head.</summary>
    public abstract Tensor Unimodal(string modality, IReadOnlyDictionary<string, Tensor> features);

    /// <summary>The features with every modality but <paramref name="keep"/> replaced by zeros ("deactivating" them).</summary>
    protected static Dictionary<string, Tensor> OnlyKeep(string keep, IReadOnlyDictionary<string, Tensor> features) =>
        features.ToDictionary(kv => kv.Key, kv => kv.Key == keep ? kv.Value : zeros_like(kv.Value));

    protected int IndexOf(string modality)
    {
        for (int i = 0; i < Modalities.Count; i++) if (Modalities[i] == modality) return i;
        throw new ArgumentException($"Head {GetName()} has no modality '{modality}' (it has {string.Join(", ", Modalities)}).");
    }

    protected Tensor[] Ordered(IReadOnlyDictionary<string, Tensor> features) =>
        Modalities.Select(m => features.TryGetValue(m, out var f) ? f : throw new ArgumentException($"Missing features for modality '{m}'.")).ToArray();

    /// <summary>Official positional names: fc_x, fc_y, fc_z.</summary>
    protected static string PositionalName(int i) => i switch { 0 => "fc_x", 1 => "fc_y", 2 => "fc_z", _ => $"fc_{i}" };
}
