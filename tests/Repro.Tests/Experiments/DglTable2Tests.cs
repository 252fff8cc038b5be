using Repro.Experiments;
using Repro.Experiments.Tables;
using Repro.Reporting;

namespace Repro.Tests.Experiments;

[Collection(Repro.Tests.Training.TrainingCollection.Name)]
public class DglTable2Tests
{
    /// <summary>Every MMTM column trains under the smoke profile and fills its three rows (the unimodal columns are Table 1's runs).</summary>
    [Fact]
    public void TheMmtmColumnsRunUnderSmoke()
    {
        var runner = new ExperimentRunner(new ResultsStore(TestPaths.TempDir("results")));
        var columns = DglTable2.Spec.Columns.Where(c => c.Method != "unimodal").Select(c => c.Label).ToArray();
        var table = TableRunner.Run(runner, DglTable2.Spec, "cremad", null, Profile.Smoke, onlyColumns: columns);
        Assert.Equal(columns, table.Columns.Select(c => c.Label));
        foreach (var column in columns)
        {
            var (key, _, _) = Assert.Single(table.Runs[column]);
            Assert.Contains("fusion-mmtm", key);
            foreach (var row in new[] { "Audio", "Visual", "Multi" })
            {
                var value = table.Value(row, column);
                Assert.True(value is >= 0 and <= 100, $"{column}: {row} = {value}");
            }
        }
        Assert.Contains("MOSI", TableReport.ToText(table));   // the notes say the right half is not implemented
    }
}
