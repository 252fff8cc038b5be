using Repro.Experiments;
using Repro.Experiments.Tables;

namespace Repro.Reporting;

/// <summary>A lesson's closing verdict: the profile's caveat, then the verdict under validation selection and, where
/// the table's test-best reading differs, under the papers' rule too.</summary>
public static class Verdicts
{
    /// <param name="verdict">The lesson's checks of the paper's claims, reading the table at its test-best epochs when given true.</param>
    public static string UnderBothSelections(Profile profile, TableResult table, Func<bool, string> verdict) =>
        profile.Caveat.Length > 0 ? profile.Caveat + "\n\n" + UnderBothSelections(table, verdict) : UnderBothSelections(table, verdict);

    /// <summary>The verdict without a caveat, for a lesson's second table.</summary>
    public static string UnderBothSelections(TableResult table, Func<bool, string> verdict) =>
        !TableReport.ShowTestBest(table) ? verdict(false)
        : "Selected on validation (the kit's default):\n" + verdict(false) +
          "\n\nThe same runs at their best test epoch (the papers' rule):\n" + verdict(true);
}
