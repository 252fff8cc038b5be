using Repro.Data.Iemocap;

namespace Repro.Tests.Data.Iemocap;

/// <summary>
/// GCNet's real label file (dataset/IEMOCAP/IEMOCAP_features_raw_4way.pkl of zeroQiaoba/GCNet; not redistributed here):
/// set REPRO_IEMOCAP_LABELS to its path to run this check; without it the test is reported as Skipped with that reason
/// (also in CI, which has no such file).
/// </summary>
public class IemocapRealLabelFileTests
{
    [SkippableFact]
    public void ReadsGcnetsLabelFileWithItsKnownCounts()
    {
        var path = Requires.FileFromEnvironment("REPRO_IEMOCAP_LABELS", "GCNet's IEMOCAP_features_raw_4way.pkl");
        var utts = IemocapDataset.ReadLabels(path);
        Assert.Equal(5531, utts.Count);
        Assert.Equal([1636, 1084, 1708, 1103], Enumerable.Range(0, 4).Select(c => utts.Count(u => u.Label == c)));
        Assert.Equal([1085, 1023, 1151, 1031, 1241], Enumerable.Range(1, 5).Select(s => utts.Count(u => u.Session == s)));
        Assert.Equal([278, 194, 384, 229], Enumerable.Range(0, 4).Select(c => utts.Count(u => u.Session == 1 && u.Label == c)));
    }
}
