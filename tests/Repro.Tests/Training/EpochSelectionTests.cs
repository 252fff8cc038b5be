using Repro.Training;

namespace Repro.Tests.Training;

public class EpochSelectionTests
{
    static EpochRecord E(int epoch, double val, double test, bool selectable = true) => new()
    {
        Epoch = epoch, Lr = 0.1, TrainLosses = new(), Selectable = selectable,
        Validation = new() { ["acc"] = val }, Test = new() { ["acc"] = test, ["acc_audio"] = epoch * 10 },
    };

    static readonly EpochRecord[] History = [E(0, 50, 90, selectable: false), E(1, 60, 40), E(2, 70, 55), E(3, 70, 60), E(4, 65, 60)];

    [Fact]
    public void EachRulePicksTheFirstSelectableEpochWithTheHighestScore()
    {
        Assert.Equal(2, EpochSelection.Pick(History, Selection.Validation, "acc")!.Epoch); // 70 at epochs 2 and 3: the first
        Assert.Equal(3, EpochSelection.Pick(History, Selection.TestBest, "acc")!.Epoch);   // 90 at epoch 0 is a teacher stage
        Assert.Equal(4, EpochSelection.Pick(History, Selection.Last, "acc")!.Epoch);
    }

    [Fact]
    public void AHistoryWithoutTestMetricsHasNoTestBestEpoch()
    {
        var noTest = History.Select(h => h with { Test = null }).ToArray();
        Assert.Null(EpochSelection.Pick(noTest, Selection.TestBest, "acc"));
    }

    [Fact]
    public void AMissingSelectionMetricIsNamed()
    {
        var e = Assert.Throws<KeyNotFoundException>(() => EpochSelection.Pick(History, Selection.Validation, "f1_macro"));
        Assert.Contains("f1_macro", e.Message);
        Assert.Contains("acc", e.Message);
    }
}
