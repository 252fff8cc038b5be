using TorchSharp;

namespace Repro.Data;

/// <summary>One modality of a dataset: its name, the shape of one sample's input and its element type.</summary>
public sealed record ModalitySpec(string Name, long[] Shape, torch.ScalarType DType = torch.ScalarType.Float32)
{
    public override string ToString() => $"{Name}({string.Join("x", Shape)})";
}

/// <summary>What a dataset holds: its modalities in a fixed order, its classes, and whether labels are multi-label.</summary>
public sealed record DatasetInfo(string Name, IReadOnlyList<ModalitySpec> Modalities, IReadOnlyList<string> ClassNames, bool MultiLabel = false)
{
    public int NumClasses => ClassNames.Count;
    public IEnumerable<string> ModalityNames => Modalities.Select(m => m.Name);
    public ModalitySpec Modality(string name) =>
        Modalities.FirstOrDefault(m => m.Name == name) ?? throw new ArgumentException($"Dataset {Name} has no modality '{name}' (it has {string.Join(", ", ModalityNames)}).");
}
