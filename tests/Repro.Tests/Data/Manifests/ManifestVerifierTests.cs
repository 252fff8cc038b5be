using Repro.Data.Formats;
using Repro.Data.Manifests;
using Repro.Experiments.Datasets;

namespace Repro.Tests.Data.Manifests;

/// <summary>Every stand-in passes `verify` against its own manifest; damaged copies fail with the file named.</summary>
public class ManifestVerifierTests
{
    static (string Root, DatasetManifest Manifest) StandIn(string id, string? protocol)
    {
        var root = TestPaths.TempDir($"verify-{id}");
        Directory.Delete(root);
        var m = StandIns.Write(id, protocol, root, new StandInSize(2, 1), 0);
        return (root, m);
    }

    static VerifyReport Verify(DatasetManifest m, string root) => ManifestVerifier.Verify(m, root, s => DatasetCatalog.OpenSplit(m, root, s), deep: true);

    [Theory]
    [InlineData("cremad", "ogm-ge")]
    [InlineData("cremad", "mla")]
    [InlineData("ks", "ogm-ge")]
    [InlineData("ks", "dgl")]
    [InlineData("food101", "upmc")]
    [InlineData("food101", "map")]
    [InlineData("mmimdb", "map")]
    [InlineData("iemocap", "gcnet-iemocap4")]
    [InlineData("mvsa", "mla")]
    [InlineData("mvsa", "qmf")]
    [InlineData("vggsound", "dgl")]
    [InlineData("mosi", "mult")]
    public void EveryStandInPassesAgainstItsOwnManifest(string id, string protocol)
    {
        var (root, m) = StandIn(id, protocol);
        var reloaded = DatasetManifest.Load(Path.Combine(root, DatasetManifest.FileName));
        Assert.Equal(m.Files.Count, reloaded.Files.Count);
        var report = Verify(reloaded, root);
        Assert.True(report.Ok, report.ToText());
        Assert.Contains(report.Checks, c => c.What.StartsWith("split"));
    }

    [Fact]
    public void DamagedCopiesFailNamingTheFile()
    {
        var (root, m) = StandIn("iemocap", null);
        // checksum mismatch
        var labels = Path.Combine(root, "IEMOCAP_features_raw_4way.pkl");
        var bytes = File.ReadAllBytes(labels);
        File.WriteAllBytes(labels, bytes.Concat(new byte[] { 0 }).ToArray());
        var report = Verify(m, root);
        Assert.False(report.Ok);
        Assert.Contains(report.Checks, c => !c.Ok && c.Detail.Contains(labels) && c.Detail.Contains("SHA-256"));
        File.WriteAllBytes(labels, bytes);
        // shape mismatch
        var audio = Directory.GetFiles(Path.Combine(root, "features", "wav2vec-large-c-UTT")).Order().First();
        NpyFile.WriteFloat32(audio, new float[7], [7]);
        report = Verify(m, root);
        Assert.Contains(report.Checks, c => !c.Ok && c.What == "shape" && c.Detail.Contains(audio));
        // missing file: the split that needs it fails too
        File.Delete(audio);
        report = Verify(m, root);
        Assert.Contains(report.Checks, c => !c.Ok && c.Detail.Contains(audio) && c.Detail.Contains("not found"));
        Assert.Contains(report.Checks, c => !c.Ok && c.What.StartsWith("split session"));
    }

    [Theory]
    [InlineData("mla")]
    [InlineData("qmf")]
    public void MvsaDamagedCopyFailsListingEachProblem(string protocol)
    {
        var (root, m) = StandIn("mvsa", protocol);
        // a removed image of a training post, and a bad line of the label file (a label that is not a class)
        var train = Path.Combine(root, protocol == "mla" ? "my_train_mvsa.txt" : "train.jsonl");
        var post = protocol == "mla" ? File.ReadLines(train).First().Split(".jpg")[0]
            : System.Text.Json.JsonDocument.Parse(File.ReadLines(train).First()).RootElement.GetProperty("id").GetString()!;
        var image = Path.Combine(root, "data", post + ".jpg");
        File.Delete(image);
        var labels = Path.Combine(root, "labelResultAll.txt");
        var lines = File.ReadAllLines(labels);
        lines[2] = lines[2].Split('\t')[0] + "\tpostive,positive";
        File.WriteAllLines(labels, lines);

        var report = Verify(m, root);
        Assert.False(report.Ok);
        // the manifest's own checks name each file
        Assert.Contains(report.Checks, c => !c.Ok && c.What == "file" && c.Detail.Contains(image) && c.Detail.Contains("not found"));
        Assert.Contains(report.Checks, c => !c.Ok && c.What == "checksum" && c.Detail.Contains(labels));
        Assert.Contains(report.Checks, c => !c.Ok && c.What == "count" && c.Detail.StartsWith("data/*.jpg"));
        // the training split lists both problems in one failure; every split names the bad label line
        var split = Assert.Single(report.Checks, c => c.What == "split train");
        Assert.False(split.Ok);
        Assert.Contains($"{labels}, line 3: field 'text'", split.Detail);
        Assert.Contains("'postive'; expected negative, neutral, positive", split.Detail);
        Assert.Contains($"{train}, line 1: image {image} of post {post} not found", split.Detail);
        Assert.All(report.Checks.Where(c => c.What.StartsWith("split ") && !c.What.Contains("classes")), c => Assert.Contains($"{labels}, line 3", c.Detail));
        // without the checksums (a real root's manifest fixes only the lists') the loader's checks still fail
        Assert.False(Verify(m with { Files = new() }, root).Ok);
    }

    [Fact]
    public void WrongCountsFail()
    {
        var (root, m) = StandIn("ks", "ogm-ge");
        var list = Path.Combine(root, "my_test.txt");
        var lines = File.ReadAllLines(list);
        File.WriteAllLines(list, lines.Skip(1));
        var strict = m with { Files = new() };
        var report = Verify(strict, root);
        Assert.Contains(report.Checks, c => !c.Ok && c.What == "split test" && c.Detail.Contains($"{lines.Length - 1} samples, expected {lines.Length}"));
        var counted = strict with { Counts = [new("Image-01-FPS/*/*.jpg", 999)] };
        Assert.Contains(Verify(counted, root).Checks, c => !c.Ok && c.What == "count" && c.Detail.Contains("expected 999"));
    }

    [Fact]
    public void RealManifestsLoadAndDescribeWhatToDownload()
    {
        var dir = Path.Combine(TestPaths.RepoRoot, "data-manifests");
        var files = Directory.GetFiles(dir, "*.json");
        Assert.True(files.Length >= 8, string.Join(", ", files));
        foreach (var f in files)
        {
            var m = DatasetManifest.Load(f);
            Assert.Contains(m.Protocol, DatasetRegistry.Get(m.Dataset).Protocols);
            Assert.NotEmpty(m.Download);
            Assert.NotEmpty(m.Splits);
            Assert.NotEmpty(m.Licence);
            Assert.NotEmpty(m.Preprocessing);
        }
    }
}
