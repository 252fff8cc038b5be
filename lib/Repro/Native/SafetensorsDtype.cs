using TorchSharp;

namespace Repro.Native;

/// <summary>The safetensors dtype names the kit reads and writes, and their TorchSharp element types.</summary>
public static class SafetensorsDtype
{
    static readonly (string Name, torch.ScalarType Type, int Size)[] Table =
    [
        ("F64", torch.ScalarType.Float64, 8),
        ("F32", torch.ScalarType.Float32, 4),
        ("F16", torch.ScalarType.Float16, 2),
        ("BF16", torch.ScalarType.BFloat16, 2),
        ("I64", torch.ScalarType.Int64, 8),
        ("I32", torch.ScalarType.Int32, 4),
        ("I16", torch.ScalarType.Int16, 2),
        ("I8", torch.ScalarType.Int8, 1),
        ("U8", torch.ScalarType.Byte, 1),
        ("BOOL", torch.ScalarType.Bool, 1),
    ];

    /// <summary>The names this reader understands, in the order of the format's documentation.</summary>
    public static IReadOnlyList<string> Names { get; } = Table.Select(t => t.Name).ToArray();

    public static bool IsKnown(string name) => Table.Any(t => t.Name == name);

    public static torch.ScalarType ToScalarType(string name)
    {
        foreach (var t in Table) if (t.Name == name) return t.Type;
        throw new NotSupportedException($"safetensors dtype '{name}' is not supported; expected one of {string.Join(", ", Names)}.");
    }

    public static int ItemSize(string name)
    {
        foreach (var t in Table) if (t.Name == name) return t.Size;
        throw new NotSupportedException($"safetensors dtype '{name}' is not supported; expected one of {string.Join(", ", Names)}.");
    }

    public static string FromScalarType(torch.ScalarType type)
    {
        foreach (var t in Table) if (t.Type == type) return t.Name;
        throw new NotSupportedException($"tensor element type {type} has no safetensors dtype the kit writes; expected one of {string.Join(", ", Table.Select(t => t.Type))}.");
    }
}
