using System.Globalization;
using System.Text.RegularExpressions;
using Repro.Notebooks;

namespace Repro.Tests.Notebooks;

/// <summary>
/// A lesson's verdict (the result of a cell that calls <c>Verdicts.UnderBothSelections</c>) must exist once the lesson
/// has run, and every percentage it cites (one decimal, "48.3%") must be a number the same notebook shows elsewhere, in
/// its tables, captions or hand checks, within the rounding of one decimal. A verdict read from another table than the
/// one shown, or a copy whose verdict was edited by hand, fails.
/// </summary>
public static partial class LessonVerdicts
{
    const string Marker = "Verdicts.UnderBothSelections(";

    /// <summary>What is wrong with <paramref name="nb"/>'s verdicts; empty when the lesson states none or all hold.</summary>
    public static List<string> Problems(Notebook nb, string name)
    {
        var verdicts = new List<(int Cell, string Text)>();
        var shown = new List<double>();
        for (int i = 0; i < nb.Cells.Count; i++)
        {
            var cell = nb.Cells[i];
            if (cell.CellType != CellTypes.Code) continue;
            bool verdictCell = cell.Source.Contains(Marker, StringComparison.Ordinal);
            foreach (var o in cell.Outputs)
            {
                var text = o switch
                {
                    DisplayDataOutput d => d.Data[MimeBundle.PlainText] ?? "",
                    StreamOutput s => s.Text,
                    _ => "",
                };
                if (verdictCell && o is ExecuteResultOutput) verdicts.Add((i, text));
                else shown.AddRange(Number().Matches(text).Select(m => double.Parse(m.Value, CultureInfo.InvariantCulture)));
            }
        }
        var problems = new List<string>();
        if (nb.Cells.Any(c => c.CellType == CellTypes.Code && c.Source.Contains(Marker, StringComparison.Ordinal)) && verdicts.All(v => v.Text.Trim().Length == 0))
            problems.Add($"{name}: the verdict cell shows no verdict");
        foreach (var (cell, text) in verdicts)
            foreach (Match m in Cited().Matches(text))
            {
                double x = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
                if (!shown.Any(y => Math.Abs(x - y) <= 0.05 + 1e-9))
                    problems.Add($"{name}: cell {cell}'s verdict cites {m.Value}, a number no other output of the notebook shows");
            }
        return problems;
    }

    /// <summary>The number of percentages the verdicts of <paramref name="nb"/> cite.</summary>
    public static int CitedCount(Notebook nb) => nb.Cells
        .Where(c => c.CellType == CellTypes.Code && c.Source.Contains(Marker, StringComparison.Ordinal))
        .SelectMany(c => c.Outputs.OfType<ExecuteResultOutput>())
        .Sum(o => Cited().Matches(o.Data[MimeBundle.PlainText] ?? "").Count);

    [GeneratedRegex(@"-?\d+(?:\.\d+)?(?:E[-+]?\d+)?")]
    private static partial Regex Number();

    [GeneratedRegex(@"(?<![\d.])(\d+\.\d)%")]
    private static partial Regex Cited();
}
