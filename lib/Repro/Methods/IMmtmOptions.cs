using Repro.Models.Fusion;

namespace Repro.Methods;

/// <summary>
/// The options of an MMTM fusion (<c>fusion=mmtm</c>), which the joint-model methods (<see cref="FusionOptions"/>) and
/// DGL declare alike. Each is null unless given, and refused unless the fusion is mmtm.
/// </summary>
public interface IMmtmOptions
{
    FusionKind Fusion { get; }
    int? MmtmRatio { get; }
    MmtmGate? MmtmGate { get; }
    bool? MmtmSharedStages { get; }
}

public static class MmtmOptionsExtensions
{
    /// <summary>The MMTM settings the options give, defaults where unset; an mmtm_* option with another fusion is refused.</summary>
    public static MmtmSettings MmtmSettings(this IMmtmOptions o)
    {
        var given = new[] { ("mmtm_ratio", o.MmtmRatio is not null), ("mmtm_gate", o.MmtmGate is not null), ("mmtm_shared_stages", o.MmtmSharedStages is not null) }
            .Where(x => x.Item2).Select(x => x.Item1).ToArray();
        if (o.Fusion != FusionKind.Mmtm && given.Length > 0)
            throw new ArgumentException($"Option {string.Join(", ", given)} applies to fusion=mmtm only (the fusion is {o.Fusion.ToString().ToLowerInvariant()}).");
        var d = new MmtmSettings();
        return new MmtmSettings(o.MmtmRatio ?? d.Ratio, o.MmtmGate ?? d.Gate, o.MmtmSharedStages ?? d.SharedStages);
    }
}
