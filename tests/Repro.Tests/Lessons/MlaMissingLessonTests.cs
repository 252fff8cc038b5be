using Repro.Experiments;
using Repro.Experiments.Tables;
using Repro.Lessons;

namespace Repro.Tests.Lessons;

public class MlaMissingLessonTests
{
    [Fact]
    public void WithoutRatesTheTablesKeepTheProfilesRowsAndColumns()
    {
        Assert.Same(MlaTable2.Spec, MlaMissingLesson.Table2([]));
        Assert.Same(MlaFigure2.Spec, MlaMissingLesson.Figure2([]));
    }

    [Fact]
    public void RatesChooseTheTable2RowsThatRun()
    {
        var spec = MlaMissingLesson.Table2([0.4, 0, 0.4]);
        Assert.Equal(["complete, acc", "complete, wF1", "40% acc", "40% wF1"], spec.RowsFor!(Profile.Smoke));
        Assert.All(spec.RowsFor(Profile.Smoke), r => Assert.Contains(spec.Rows, row => row.Label == r));
        var e = Assert.Throws<ArgumentException>(() => MlaMissingLesson.Table2([0.25]));
        Assert.Contains("no missing rate 0.25", e.Message);
        Assert.Contains("0, 0.1, 0.2", e.Message);
    }

    [Fact]
    public void FractionsChooseTheFigure2RowsWithTheCompleteReference()
    {
        var spec = MlaMissingLesson.Figure2([0.3]);
        Assert.Equal(["complete: audio", "complete: video", "no audio 30%: audio", "no audio 30%: video", "no video 30%: audio", "no video 30%: video"],
            spec.RowsFor!(Profile.Embedded));
        Assert.All(spec.RowsFor(Profile.Embedded), r => Assert.Contains(spec.Rows, row => row.Label == r));
        Assert.Throws<ArgumentException>(() => MlaMissingLesson.Figure2([0.4]));
    }

    [Fact]
    public void MissingZeroAddsAColumnBesideMlaAndSkipAddsNone()
    {
        var spec = MlaMissingLesson.Table2([], "zero");
        Assert.Equal(MlaTable2.Spec.Columns.Count + 1, spec.Columns.Count);
        var zero = spec.Columns[^1];
        Assert.Equal(MlaMissingLesson.ZeroColumn, zero.Label);
        Assert.Equal("mla(missing=zero)", zero.Spec().Describe());
        Assert.False(zero.InPaper);
        Assert.Equal("mla", spec.Columns.Single(c => c.Label == "MLA").Spec().Describe());
        Assert.Equal(MlaFigure2.Spec.Columns.Count + 1, MlaMissingLesson.Figure2([0.5], "zero").Columns.Count);
        Assert.Throws<ArgumentException>(() => MlaMissingLesson.Table2([], "drop"));
    }
}
