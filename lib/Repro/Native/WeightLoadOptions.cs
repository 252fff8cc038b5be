using System.Text.RegularExpressions;

namespace Repro.Native;

/// <summary>
/// How a published checkpoint maps onto a module: which sub-tree of the file the module is (<see cref="Prefix"/>,
/// stripped from the file's names), which of the file's names are renamed (legacy spellings such as BERT's
/// LayerNorm gamma/beta), which tensors may be absent on either side, and whether anything else that does not match
/// is tolerated (<see cref="AllowMismatch"/>; off by default, so a wrong file is refused with every offending name).
/// </summary>
public sealed record WeightLoadOptions
{
    /// <summary>Names in the file that start with this belong to the module, e.g. "vision_model." in a CLIP checkpoint.</summary>
    public string Prefix { get; init; } = "";

    /// <summary>Regex replacements applied, in order, to a file name after the prefix is stripped (pattern, replacement).</summary>
    public IReadOnlyList<(string Pattern, string Replacement)> Renames { get; init; } = [];

    /// <summary>File names (prefix stripped) that are not module tensors and are skipped, e.g. a saved position_ids buffer.</summary>
    public IReadOnlyList<string> IgnoreUnexpected { get; init; } = [];

    /// <summary>Module tensors the file is not expected to hold (adapters, mask tokens, a new classifier).</summary>
    public IReadOnlyList<string> IgnoreMissing { get; init; } = [];

    /// <summary>Load what matches and report the rest instead of refusing.</summary>
    public bool AllowMismatch { get; init; }

    internal string Rename(string name)
    {
        foreach (var (pattern, replacement) in Renames) name = Regex.Replace(name, pattern, replacement);
        return name;
    }

    internal bool IsIgnoredUnexpected(string name) => IgnoreUnexpected.Any(p => Regex.IsMatch(name, p));
    internal bool IsIgnoredMissing(string name) => IgnoreMissing.Any(p => Regex.IsMatch(name, p));
}
