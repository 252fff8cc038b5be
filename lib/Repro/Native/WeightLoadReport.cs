using System.Text;

namespace Repro.Native;

/// <summary>One tensor whose shape in the file differs from the module's.</summary>
public sealed record ShapeMismatch(string Name, string FileName, long[] ModuleShape, long[] FileShape)
{
    public override string ToString() =>
        $"{FileName}: file shape [{string.Join(", ", FileShape)}], module '{Name}' expects [{string.Join(", ", ModuleShape)}]";
}

/// <summary>
/// What loading a checkpoint into a module did: the module tensors filled, those the file lacks (<see cref="Missing"/>),
/// the file's tensors of the selected sub-tree the module has no place for (<see cref="Unexpected"/>, full file names),
/// and the tensors whose shapes differ (<see cref="Mismatched"/>). Names ignored by the options are not listed.
/// </summary>
public sealed record WeightLoadReport(
    string Path,
    string Prefix,
    IReadOnlyList<string> Loaded,
    IReadOnlyList<string> Missing,
    IReadOnlyList<string> Unexpected,
    IReadOnlyList<ShapeMismatch> Mismatched)
{
    public bool IsComplete => Missing.Count == 0 && Unexpected.Count == 0 && Mismatched.Count == 0;

    public string Describe()
    {
        var sb = new StringBuilder($"{Path} (prefix '{Prefix}'): {Loaded.Count} tensors loaded");
        if (Missing.Count > 0) sb.Append($"; {Missing.Count} missing from the file: {string.Join(", ", Missing)}");
        if (Unexpected.Count > 0) sb.Append($"; {Unexpected.Count} unexpected in the file: {string.Join(", ", Unexpected)}");
        if (Mismatched.Count > 0) sb.Append($"; {Mismatched.Count} with another shape: {string.Join("; ", Mismatched)}");
        return sb.ToString();
    }
}
