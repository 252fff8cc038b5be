namespace Repro.Native;

/// <summary>One tensor's entry in a safetensors header. Begin and End are relative to the start of the data section.</summary>
public sealed record SafetensorsEntry(string Name, string Dtype, long[] Shape, long Begin, long End)
{
    public long NumElements => Shape.Aggregate(1L, (a, b) => a * b);
    public long ByteLength => End - Begin;
}

/// <summary>
/// The parsed header of a safetensors file: its tensors in header order, the free-form string metadata
/// (<c>__metadata__</c>), and where the data section starts (8 + HeaderLength).
/// </summary>
public sealed record SafetensorsHeader(
    string Path,
    long HeaderLength,
    IReadOnlyList<SafetensorsEntry> Tensors,
    IReadOnlyDictionary<string, string> Metadata)
{
    public long DataStart => 8 + HeaderLength;

    public IEnumerable<string> Names => Tensors.Select(t => t.Name);

    public SafetensorsEntry this[string name] =>
        Tensors.FirstOrDefault(t => t.Name == name)
        ?? throw new KeyNotFoundException($"{Path}: no tensor named '{name}' (the file holds {Tensors.Count} tensors).");

    public bool Contains(string name) => Tensors.Any(t => t.Name == name);
}
