using Repro.Experiments;
using Repro.Experiments.Tables;
using Repro.Methods.U2a;

namespace Repro.Tests.Experiments;

/// <summary>U2A's tables as data: registered, their settings what the paper's protocols say, the paper's numbers in place.</summary>
public class U2aTableSpecsTests
{
    [Fact]
    public void EveryU2aTableIsRegisteredWithItsDatasets()
    {
        Assert.Equal(["food101", "mmimdb"], PaperTables.Get("u2a-table1").Datasets.Order());
        Assert.Equal(["cremad", "ks"], PaperTables.Get("u2a-table2").Datasets.Order());
        Assert.Equal(["food101", "mmimdb"], PaperTables.Get("u2a-table3").Datasets.Order());
        Assert.Equal(["food101", "mmimdb"], PaperTables.Get("u2a-figure2").Datasets.Order());
        Assert.Equal(["cremad", "food101", "ks"], PaperTables.Get("u2a-table4").Datasets.Order());
        Assert.Equal("cremad:mla", U2aTable2.Spec.RunDatasets["cremad"]);   // U2A §4.2: 128-bin fbank, 3 frames
        Assert.Equal(94.47, U2aTable1.Spec.PaperValue("food101", "Accuracy", "U2A"));
        Assert.Equal(88.84, U2aTable2.Spec.PaperValue("cremad", "Accuracy", "U2A"));
        Assert.Equal(76.21, U2aTable4.Spec.PaperValue("cremad", "Video (audio absent)", "U2A"));
        Assert.Equal(4.68, U2aTable4.Spec.PaperValue("food101", "Image (text absent)", "FiLM"));
    }

    [Fact]
    public void Table3TrainsAndTestsAtSeventyPercentWithThreeSeeds()
    {
        var rows = U2aTable3.Spec.Rows;
        Assert.Equal(["missing=both/0.7", "missing=image/0.7", "missing=text/0.7"], rows.Select(r => r.DatasetSettings!).Distinct().Order());
        Assert.All(rows, r => Assert.Null(r.TestSettings));
        Assert.Equal(3, U2aTable3.Spec.SeedsFor!(Profile.Embedded));
        Assert.Equal(3, U2aTable3.Spec.SeedsFor!(Profile.Paper));
        Assert.Equal(60.21, U2aTable3.Spec.PaperValue("mmimdb", U2aTable3.Cases[0].Label, "U2A"));
    }

    [Fact]
    public void TheCaptionCountsSeedsNotRuns()
    {
        var costs = U2aTable3.Cases.SelectMany(c => Enumerable.Range(0, 3).Select(s => new CellCost("U2A", c.Setting, "", s, 1, false))).ToArray();
        var t = new TableResult
        {
            Spec = U2aTable3.Spec, Dataset = "food101", Profile = Profile.Embedded, StandIn = true, Selection = "Validation",
            Columns = U2aTable3.Spec.Columns, Skipped = [], Cells = new(),
            Runs = new() { ["U2A"] = costs.Select(c => ($"run-{c.Settings}-{c.Seed}", 1.0, false)).ToList() }, Costs = costs,
        };
        Assert.EndsWith(", 3 seeds", Repro.Reporting.TableReport.Caption(t));
    }

    [Fact]
    public void Figure2TestsWithXPercentTextOnAModelTrainedComplete()
    {
        var rows = U2aFigure2.Spec.Rows.ToDictionary(r => r.Label);
        Assert.All(rows.Values, r => Assert.Null(r.DatasetSettings));   // trained on complete data
        Assert.Equal("test-missing=text/0.9", rows[U2aFigure2.Label(10)].TestSettings);
        Assert.Equal("test-missing=text/0.3", rows[U2aFigure2.Label(70, false)].TestSettings);
        Assert.Null(rows[U2aFigure2.Label(100)].TestSettings);
        Assert.Equal("acc@without-mask-token", rows[U2aFigure2.Label(40, false)].MetricByDataset["food101"]);
        Assert.Equal(20, rows.Count);
    }

    [Fact]
    public void OgmGeModulatesEveryNon1dWeightOnlyWhereTheEncodersHaveNoConvolution()
    {
        var ogm = U2aTable4.Spec.Columns.Single(c => c.Label == "OGM-GE");
        Assert.Equal(Repro.Methods.Ogm.OgmModulate.Non1d, ((Repro.Methods.Ogm.OgmOptions)ogm.Spec("food101", Profile.Embedded).Options).Modulate);
        Assert.Null(((Repro.Methods.Ogm.OgmOptions)ogm.Spec("cremad", Profile.Embedded).Options).Modulate);
    }

    [Fact]
    public void U2aKeepsThePaperSettingsOnlyUnderThePaperProfile()
    {
        var u2a = U2aTable4.Spec.Columns.Single(c => c.Label == "U2A");
        static U2aOptions Options(TableColumn c, string dataset, Profile profile) => (U2aOptions)c.Spec(dataset, profile).Options;
        Assert.Equal(0.001, Options(u2a, "cremad", Profile.Embedded).Lr);
        Assert.Null(Options(u2a, "cremad", Profile.Paper).Lr);
        Assert.Null(Options(u2a, "food101", Profile.Embedded).Lr);   // Table 1's run, reused
        Assert.Equal(U2aTable1.Spec.Columns[0].Spec("food101", Profile.Embedded).Describe(), u2a.Spec("food101", Profile.Embedded).Describe());

        var mmimdb = Options(U2aTable1.Spec.Columns[0], "mmimdb", Profile.Embedded);
        Assert.Equal(0.003, mmimdb.Lr);
        Assert.Equal(Profile.Embedded.Train.Epochs, mmimdb.Epochs);
        Assert.Equal(U2aAlignTarget.Detached, mmimdb.AlignTarget);
        Assert.Equal(U2aTable1.Spec.Columns[0].Spec("mmimdb", Profile.Embedded).Describe(), U2aTable3.Spec.Columns[0].Spec("mmimdb", Profile.Embedded).Describe());
        Assert.Equal(U2aAlignTarget.Shared, Options(U2aTable1.Spec.Columns[0], "mmimdb", Profile.Paper).AlignTarget);
    }
}
