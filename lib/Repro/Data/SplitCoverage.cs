using System.Globalization;

namespace Repro.Data;

/// <summary>How much of a split's list is present: listed, present and dropped examples, in all and per class.</summary>
public sealed record SplitCoverage(string Split, int Listed, int Present, int Dropped, IReadOnlyList<ClassCoverage> Classes)
{
    /// <summary>Present over listed (1 for an empty list).</summary>
    public double Fraction => Listed == 0 ? 1 : (double)Present / Listed;

    /// <summary>"train 24 of 14799 present (0.2%, 14775 dropped)".</summary>
    public override string ToString() =>
        $"{Split} {Present} of {Listed} present ({Percent(Fraction)}, {Dropped} dropped)";

    public static string Percent(double fraction) => (100 * fraction).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    /// <summary>"train 24 of 14799 present (...); test ...": every split on one line.</summary>
    public static string Describe(IEnumerable<SplitCoverage> splits) => string.Join("; ", splits);
}

/// <summary>One class of a <see cref="SplitCoverage"/> (MM-IMDb: a movie counts under its first genre).</summary>
public sealed record ClassCoverage(string Class, int Listed, int Present, int Dropped)
{
    public double Fraction => Listed == 0 ? 1 : (double)Present / Listed;
}
