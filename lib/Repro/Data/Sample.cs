using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Data;

/// <summary>
/// One example: a tensor per modality (null where the modality is missing), the label and the example's
/// position in its dataset. Single-label examples set <see cref="Label"/>; multi-label ones set <see cref="Targets"/> (multi-hot).
/// </summary>
public sealed class Sample
{
    public required long Index { get; init; }
    public required string Id { get; init; }
    public required IReadOnlyDictionary<string, Tensor?> Inputs { get; init; }
    public int Label { get; init; } = -1;
    public float[]? Targets { get; init; }
    /// <summary>
    /// The true inputs of modalities a missing-modality mask hides, on training samples only (null otherwise): the
    /// privileged targets that imputation baselines (AE, CRA, MMIN) train against, as GCNet's code does.
    /// </summary>
    public IReadOnlyDictionary<string, Tensor>? Withheld { get; init; }

    public bool Has(string modality) => Inputs.TryGetValue(modality, out var t) && t is not null;
}

/// <summary>Whether a sample is drawn for training (random augmentation) or evaluation (deterministic transforms).</summary>
public enum SampleMode { Train, Eval }
