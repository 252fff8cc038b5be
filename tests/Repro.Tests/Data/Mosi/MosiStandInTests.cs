using Repro.Data;
using Repro.Data.Formats;
using Repro.Data.Manifests;
using Repro.Data.Mosi;
using Repro.Experiments.Datasets;

namespace Repro.Tests.Data.Mosi;

/// <summary>The MOSI stand-in: MulT's layout, verified against its manifest; damaged copies fail naming the file and what is wrong.</summary>
public class MosiStandInTests
{
    static (string Root, DatasetManifest Manifest) StandIn()
    {
        var root = TestPaths.TempDir("mosi-standin");
        Directory.Delete(root);
        return (root, StandIns.Write("mosi", null, root, new StandInSize(6, 3), 0));
    }

    static VerifyReport Verify(DatasetManifest m, string root) => ManifestVerifier.Verify(m, root, s => DatasetCatalog.OpenSplit(m, root, s), deep: true);

    [Fact]
    public void WritesMulTsLayoutAndPassesVerify()
    {
        var (root, m) = StandIn();
        Assert.Equal([12, 6, 6], new[] { "train", "valid", "test" }.Select(s => m.Splits[s].Count));
        var file = Assert.IsType<Dictionary<object, object?>>(Pickle.Load(Path.Combine(root, MosiDataset.FeatureFile)));
        var train = Assert.IsType<Dictionary<object, object?>>(file["train"]);
        Assert.Equal([12L, 50, 300], Assert.IsType<PickledArray>(train["text"]).Shape);
        Assert.Equal([12L, 50, 5], Assert.IsType<PickledArray>(train["audio"]).Shape);
        Assert.Equal([12L, 50, 20], Assert.IsType<PickledArray>(train["vision"]).Shape);
        Assert.Equal([12L, 1, 1], Assert.IsType<PickledArray>(train["labels"]).Shape);
        Assert.Equal([12L, 3], Assert.IsType<PickledObjects>(train["id"]).Shape);
        var report = Verify(m, root);
        Assert.True(report.Ok, report.ToText());
        Assert.Contains(report.Checks, c => c.What == "split valid" && c.Ok);
    }

    [Fact]
    public void DamagedCopiesFail()
    {
        var (root, m) = StandIn();
        var path = Path.Combine(root, MosiDataset.FeatureFile);
        var bytes = File.ReadAllBytes(path);
        // truncated: the checksum and every split fail, naming the file
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var report = Verify(m, root);
        Assert.Contains(report.Checks, c => !c.Ok && c.What == "checksum" && c.Detail.Contains(path));
        Assert.Contains(report.Checks, c => !c.Ok && c.What == "split train" && c.Detail.Contains(path));
        // another feature size than the manifest's: the split names the modality and both shapes
        var wrong = m with { Options = MosiDescriptor.ShapeOptions(50, 5, 20, 299), Files = new(StringComparer.Ordinal) };
        File.WriteAllBytes(path, bytes);
        report = Verify(wrong, root);
        Assert.Contains(report.Checks, c => !c.Ok && c.What == "split test" && c.Detail.Contains("text sequences are (50, 300)") && c.Detail.Contains("(50, 299)"));
    }
}
