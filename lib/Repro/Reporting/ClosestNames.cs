namespace Repro.Reporting;

/// <summary>"Did you mean": the known names nearest to a misspelt one, for error messages.</summary>
public static class ClosestNames
{
    /// <summary>Up to <paramref name="max"/> known names within an edit distance of a third of the name's length (at
    /// least 2) or that contain it, nearest first; empty when none is close.</summary>
    public static IReadOnlyList<string> Of(string name, IEnumerable<string> known, int max = 3)
    {
        var n = name.Trim().ToLowerInvariant();
        var limit = Math.Max(2, n.Length / 3);
        return known.Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(k => (Name: k, D: Distance(n, k.ToLowerInvariant())))
            .Where(x => x.D <= limit || (n.Length >= 3 && x.Name.Contains(n, StringComparison.OrdinalIgnoreCase)))
            .OrderBy(x => x.D).ThenBy(x => x.Name, StringComparer.Ordinal)
            .Take(max).Select(x => x.Name).ToList();
    }

    /// <summary>"; did you mean a or b?" or "" when nothing is close.</summary>
    public static string Hint(string name, IEnumerable<string> known)
    {
        var close = Of(name, known);
        return close.Count == 0 ? "" : $"; did you mean {string.Join(" or ", close)}?";
    }

    /// <summary>Levenshtein distance (insertions, deletions, substitutions).</summary>
    static int Distance(string a, string b)
    {
        var prev = Enumerable.Range(0, b.Length + 1).ToArray();
        var cur = new int[b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (var j = 1; j <= b.Length; j++)
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (prev, cur) = (cur, prev);
        }
        return prev[b.Length];
    }
}
