using System.Globalization;
using Repro.Experiments;
using Repro.Experiments.Tables;

namespace Repro.Lessons;

/// <summary>
/// What lesson 05 varies in MLA Table 2 and Figure 2: which missing rates (or training fractions) run, and whether a
/// column of MLA with the official code's treatment of missing inputs (<c>missing=zero</c>) runs beside MLA. With no
/// rates or fractions given, a table keeps the rows its profile runs, so the lesson and <c>repro reproduce</c> fill the
/// same cells from the same runs.
/// </summary>
public static class MlaMissingLesson
{
    /// <summary>The label of the extra column that runs MLA with missing inputs as zeros kept in the loss.</summary>
    public const string ZeroColumn = "MLA (missing=zero)";

    /// <summary>MLA's treatments of a missing input: skip (the default, the paper) and zero (the official code).</summary>
    public static readonly string[] MissingModes = ["skip", "zero"];

    /// <summary>
    /// MLA Table 2 at <paramref name="rates"/> (0 = complete data, else one of <see cref="MlaTable2.Rates"/>; empty: the
    /// profile's rows), with the <see cref="ZeroColumn"/> column when <paramref name="mlaMissing"/> is "zero".
    /// </summary>
    public static TableSpec Table2(IReadOnlyList<double> rates, string mlaMissing = "skip")
    {
        var spec = WithMissingColumn(MlaTable2.Spec, mlaMissing);
        if (rates.Count == 0) return spec;
        var known = MlaTable2.Rates.Prepend(0).ToArray();
        foreach (var r in rates)
            if (!known.Contains(r))
                throw new ArgumentException($"MLA Table 2 has no missing rate {Show(r)}; its rates are {string.Join(", ", known.Select(Show))} (0 = complete data).");
        var rows = rates.Distinct().Order().SelectMany(r => new[] { MlaTable2.AccRow(r), MlaTable2.F1Row(r) }).ToArray();
        return spec with { RowsFor = _ => rows };
    }

    /// <summary>
    /// MLA Figure 2 at training <paramref name="fractions"/> without audio and without video, with the complete-data
    /// reference rows (fractions from the paper's 10-90%; empty: the profile's rows), and the <see cref="ZeroColumn"/>
    /// column when <paramref name="mlaMissing"/> is "zero".
    /// </summary>
    public static TableSpec Figure2(IReadOnlyList<double> fractions, string mlaMissing = "skip")
    {
        var spec = WithMissingColumn(MlaFigure2.Spec, mlaMissing);
        if (fractions.Count == 0) return spec;
        var known = MlaFigure2.FractionsFor(Profile.Paper);
        foreach (var f in fractions)
            if (!known.Contains(f))
                throw new ArgumentException($"MLA Figure 2 has no training fraction {Show(f)}; its fractions are {string.Join(", ", known.Select(Show))}.");
        string[] modalities = ["audio", "video"];
        var rows = modalities.Select(m => MlaFigure2.Row("", 0, m))
            .Concat(modalities.SelectMany(dropped => fractions.Distinct().Order().SelectMany(f => modalities.Select(m => MlaFigure2.Row(dropped, f, m)))))
            .ToArray();
        return spec with { RowsFor = _ => rows };
    }

    static TableSpec WithMissingColumn(TableSpec spec, string mlaMissing)
    {
        if (!MissingModes.Contains(mlaMissing))
            throw new ArgumentException($"MLA's missing option is '{mlaMissing}'; expected one of {string.Join(", ", MissingModes)}.");
        // skip is MLA's default: the table's own MLA column already runs it, under the same run identity
        return mlaMissing == "skip" ? spec
            : spec with { Columns = [.. spec.Columns, new TableColumn(ZeroColumn, "mla", [("missing", mlaMissing)], InPaper: false)] };
    }

    static string Show(double x) => x.ToString(CultureInfo.InvariantCulture);
}
