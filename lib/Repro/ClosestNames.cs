namespace Repro;

/// <summary>
/// "Did you mean ...?" for a name that is not known (a method, an option key, a dataset setting, a choice): the known
/// names within a small edit distance of the given one, or that start with it, closest first.
/// </summary>
public static class ClosestNames
{
    /// <summary>Up to <paramref name="max"/> known names close to <paramref name="given"/>, closest first.</summary>
    public static IReadOnlyList<string> Of(string given, IEnumerable<string> known, int max = 3)
    {
        var g = given.Trim().ToLowerInvariant();
        int limit = Math.Max(2, g.Length / 3);
        return known.Distinct()
            .Select(k => (Name: k, Distance: Distance(g, k.ToLowerInvariant())))
            .Where(k => k.Distance <= limit || (g.Length >= 3 && k.Name.StartsWith(g, StringComparison.OrdinalIgnoreCase)))
            .OrderBy(k => k.Distance).ThenBy(k => k.Name, StringComparer.Ordinal)
            .Take(max).Select(k => k.Name).ToArray();
    }

    /// <summary>" (did you mean 'a' or 'b'?)", or "" when nothing is close.</summary>
    public static string Suggest(string given, IEnumerable<string> known)
    {
        var close = Of(given, known);
        return close.Count == 0 ? "" : $" (did you mean {string.Join(" or ", close.Select(c => $"'{c}'"))}?)";
    }

    /// <summary>"; did you mean a or b?", or "" when nothing is close (for lists of names already quoted by the message).</summary>
    public static string Hint(string given, IEnumerable<string> known)
    {
        var close = Of(given, known);
        return close.Count == 0 ? "" : $"; did you mean {string.Join(" or ", close)}?";
    }

    /// <summary>Optimal string alignment distance: insertions, deletions, substitutions and adjacent transpositions.</summary>
    static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        return d[a.Length, b.Length];
    }
}
