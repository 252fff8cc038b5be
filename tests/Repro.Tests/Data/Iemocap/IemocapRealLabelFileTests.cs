using Repro.Data.Iemocap;
using Xunit.Abstractions;

namespace Repro.Tests.Data.Iemocap;

/// <summary>
/// GCNet's real label file (dataset/IEMOCAP/IEMOCAP_features_raw_4way.pkl of zeroQiaoba/GCNet; not redistributed here):
/// set REPRO_IEMOCAP_LABELS to its path to run this check; without it the test prints why it did nothing.
/// </summary>
public class IemocapRealLabelFileTests(ITestOutputHelper output)
{
    [Fact]
    public void ReadsGcnetsLabelFileWithItsKnownCounts()
    {
        var path = Environment.GetEnvironmentVariable("REPRO_IEMOCAP_LABELS");
        if (string.IsNullOrEmpty(path) || !File.Exists(path))
        {
            output.WriteLine("SKIPPED: set REPRO_IEMOCAP_LABELS to GCNet's IEMOCAP_features_raw_4way.pkl to check the reader on the real file.");
            return;
        }
        var utts = IemocapDataset.ReadLabels(path);
        Assert.Equal(5531, utts.Count);
        Assert.Equal([1636, 1084, 1708, 1103], Enumerable.Range(0, 4).Select(c => utts.Count(u => u.Label == c)));
        Assert.Equal([1085, 1023, 1151, 1031, 1241], Enumerable.Range(1, 5).Select(s => utts.Count(u => u.Session == s)));
        Assert.Equal([278, 194, 384, 229], Enumerable.Range(0, 4).Select(c => utts.Count(u => u.Session == 1 && u.Label == c)));
    }
}
