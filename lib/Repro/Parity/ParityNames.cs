namespace Repro.Parity;

/// <summary>
/// Fixture tensor names are the official code's (without DataParallel's `module.`); the kit's model uses the same
/// names where the official code has them (audio_net, visual_net, fusion_module). Methods whose official modules are
/// named otherwise register a mapping here (official prefix -> kit prefix).
/// </summary>
public static class ParityNames
{
    static readonly Dictionary<string, List<(string Official, string Kit)>> Maps = new();

    public static void Register(string method, string officialPrefix, string kitPrefix)
    {
        if (!Maps.TryGetValue(method, out var list)) Maps[method] = list = new();
        list.Add((officialPrefix, kitPrefix));
    }

    public static string ToKit(string method, string officialName)
    {
        if (Maps.TryGetValue(method, out var list))
            foreach (var (o, k) in list.OrderByDescending(p => p.Official.Length))
                if (officialName.StartsWith(o, StringComparison.Ordinal)) return k + officialName[o.Length..];
        return officialName;
    }
}
