using Repro.Data.CremaD;
using Repro.Data.Manifests;
using Repro.Experiments.Datasets;

namespace Repro.Tests.Data.CremaD;

public class CremaDStandInTests(StandInFixture standIn) : IClassFixture<StandInFixture>
{
    [Fact]
    public void TheStandInGoesThroughTheRealLoader()
    {
        var train = standIn.Open("train");
        var test = standIn.Open("test");
        Assert.Equal(36, train.Count);
        Assert.Equal(18, test.Count);
        Assert.Equal(Enumerable.Repeat(6, 6), Enumerable.Range(0, 6).Select(c => Enumerable.Range(0, train.Count).Count(i => train.LabelOf(i) == c)));
        Assert.Equal([6, 6, 6, 6, 6, 6], standIn.Manifest.Splits["train"].ClassCounts);
        Assert.Equal(0, train.Dropped.Count);
    }

    [Fact]
    public void TheManifestListsEveryFileWithItsChecksum()
    {
        var files = Directory.EnumerateFiles(standIn.Root, "*", SearchOption.AllDirectories).Count() - 1; // minus the manifest
        Assert.Equal(files, standIn.Manifest.Files.Count);
        var csv = Path.Combine(standIn.Root, "train.csv");
        Assert.Equal(DatasetManifest.Sha256(csv), standIn.Manifest.Files["train.csv"]);
        Assert.Equal("cremad", DatasetManifest.Load(Path.Combine(standIn.Root, DatasetManifest.FileName)).Dataset);
    }

    [Fact]
    public void TheSameSeedWritesTheSameBytesAndAnotherSeedDoesNot()
    {
        var again = StandInFixture.Write(TestPaths.TempDir("standin"), StandInFixture.Recipe);
        Assert.Equal(standIn.Manifest.Files, again.Files);
        var other = StandInFixture.Write(TestPaths.TempDir("standin"), StandInFixture.Recipe with { Seed = 6 });
        Assert.NotEqual(standIn.Manifest.Files["train.csv"], other.Files["train.csv"]);
    }

    [Fact]
    public void ItIsNeverWrittenOverAnExistingFolder()
    {
        var e = Assert.Throws<IOException>(() => CremaDStandIn.Write(standIn.Root, StandInFixture.Recipe));
        Assert.Contains(standIn.Root, e.Message);
    }
}
