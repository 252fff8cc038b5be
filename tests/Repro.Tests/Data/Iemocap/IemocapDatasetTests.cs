using Repro.Data;
using Repro.Data.Formats;
using Repro.Data.Iemocap;
using static TorchSharp.torch;

namespace Repro.Tests.Data.Iemocap;

public sealed class IemocapStandInFixture
{
    public IemocapStandInFixture()
    {
        Root = TestPaths.TempDir("iemocap");
        Utterances = IemocapStandIn.Write(Root, Recipe);
    }

    public static readonly IemocapStandInRecipe Recipe = new() { PerClassPerSession = 12, Dims = [32, 48, 64], Seed = 2 };
    public string Root { get; }
    public List<IemocapDataset.Utt> Utterances { get; }
}

public class IemocapDatasetTests(IemocapStandInFixture standIn) : IClassFixture<IemocapStandInFixture>
{
    [Fact]
    public void FoldsAreLeaveOneSessionOutWithThreeModalitiesAndFourClasses()
    {
        for (int fold = 1; fold <= 5; fold++)
        {
            var train = new IemocapDataset(standIn.Root, "train", fold);
            var test = new IemocapDataset(standIn.Root, "test", fold);
            Assert.Equal(4 * 12, test.Count);
            Assert.Equal(4 * 4 * 12, train.Count);
            Assert.All(Enumerable.Range(0, test.Count), i => Assert.Equal(fold, test.SessionOf(i)));
            Assert.DoesNotContain(Enumerable.Range(0, train.Count), i => train.SessionOf(i) == fold);
        }
        var ds = new IemocapDataset(standIn.Root, "test", 1);
        Assert.Equal(["audio", "visual", "text"], ds.Info.ModalityNames);
        Assert.Equal(["happy", "sad", "neutral", "angry"], ds.Info.ClassNames);
        using var scope = NewDisposeScope();
        var s = ds.Get(0, SampleMode.Eval, 0);
        Assert.Equal([32L], s.Inputs["audio"]!.shape);
        Assert.Equal([48L], s.Inputs["visual"]!.shape);
        Assert.Equal([64L], s.Inputs["text"]!.shape);
        // the visual feature is the mean of the two face files
        var faces = Path.Combine(standIn.Root, IemocapDataset.VisualFolder, ds.NameOf(0));
        var f = NpyFile.ReadFloat32(Path.Combine(faces, "compress_F.npy")).Data;
        var m = NpyFile.ReadFloat32(Path.Combine(faces, "compress_M.npy")).Data;
        Assert.Equal((f[0] + m[0]) / 2, s.Inputs["visual"]![0].item<float>(), 5);
    }

    [Fact]
    public void ModalitiesHaveUnequalStrengthTextAudioVisual()
    {
        // nearest class mean on the features, per modality: text > audio > visual, each above chance; at the protocol's
        // feature sizes (the default recipe's weak signal needs them)
        var root = TestPaths.TempDir("iemocap-strength");
        IemocapStandIn.Write(root, IemocapStandInFixture.Recipe with { Dims = new IemocapStandInRecipe().Dims });
        var train = new IemocapDataset(root, "train", 5);
        var test = new IemocapDataset(root, "test", 5);
        double Probe(string m)
        {
            using var scope = NewDisposeScope();
            var x = stack(Enumerable.Range(0, train.Count).Select(i => train.Get(i, SampleMode.Eval, 0).Inputs[m]!).ToArray());
            var y = tensor(Enumerable.Range(0, train.Count).Select(i => (long)train.LabelOf(i)).ToArray());
            var means = stack(Enumerable.Range(0, 4).Select(c => x.index_select(0, y.eq(c).nonzero().flatten()).mean([0])).ToArray());
            int correct = 0;
            for (int i = 0; i < test.Count; i++)
            {
                var d = (means - test.Get(i, SampleMode.Eval, 0).Inputs[m]!.unsqueeze(0)).pow(2).sum(1);
                if (d.argmin().item<long>() == test.LabelOf(i)) correct++;
            }
            return (double)correct / test.Count;
        }
        double a = Probe("audio"), v = Probe("visual"), t = Probe("text");
        Assert.True(t > a && a > v && v > 0.3, $"text {t:F2}, audio {a:F2}, visual {v:F2}");
    }

    [Fact]
    public void BadFilesNameTheFileAndWhatWasExpected()
    {
        var root = TestPaths.TempDir("iemocap-bad");
        IemocapStandIn.Write(root, IemocapStandInFixture.Recipe with { PerClassPerSession = 2 });
        var id = new IemocapDataset(root, "test", 1).NameOf(1);
        var audio = Path.Combine(root, IemocapDataset.AudioFolder, id + ".npy");
        NpyFile.WriteFloat32(audio, new float[31], [31]);
        var e = Assert.Throws<InvalidDataException>(() => new IemocapDataset(root, "test", 1));
        Assert.Contains(audio, e.Message);
        Assert.Contains("expected 32", e.Message);
        File.Delete(audio);
        Assert.Contains(audio, Assert.Throws<FileNotFoundException>(() => new IemocapDataset(root, "test", 1)).Message);
        var dropped = new IemocapDataset(root, "test", 1, MissingFilePolicy.Drop);
        Assert.Equal(1, dropped.Dropped.Count);
        Assert.Equal(4 * 2 - 1, dropped.Count);
        var labels = Path.Combine(root, IemocapDataset.LabelFile);
        File.WriteAllText(labels, "not a pickle");
        Assert.Contains(labels, Assert.ThrowsAny<InvalidDataException>(() => new IemocapDataset(root, "test", 1)).Message);
    }
}
