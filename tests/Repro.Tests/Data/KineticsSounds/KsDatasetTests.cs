using Repro.Data;
using Repro.Data.Audio;
using Repro.Data.Formats;
using Repro.Data.KineticsSounds;
using static TorchSharp.torch;

namespace Repro.Tests.Data.KineticsSounds;

public sealed class KsStandInFixture
{
    public KsStandInFixture()
    {
        OgmGe = TestPaths.TempDir("ks-ogm");
        KsStandIn.Write(OgmGe, Recipe);
        Dgl = TestPaths.TempDir("ks-dgl");
        KsStandIn.Write(Dgl, Recipe with { Protocol = KsProtocol.Dgl });
    }

    public static readonly KsStandInRecipe Recipe = new() { TrainPerClass = 3, TestPerClass = 2, Seed = 1, FbankFrames = 64, FrameSize = 32 };
    public string OgmGe { get; }
    public string Dgl { get; }
    public static readonly KsOptions Small = new() { ImageSize = 24, FbankFrames = 64 };
}

public class KsDatasetTests(KsStandInFixture standIn) : IClassFixture<KsStandInFixture>
{
    [Fact]
    public void OgmGeLayoutGivesNormalisedFbankAndThreeFrames()
    {
        var ds = new KsDataset(standIn.OgmGe, "train", KsProtocol.OgmGe, KsStandInFixture.Small);
        Assert.Equal(3 * 6, ds.Count);
        Assert.Equal(KsStandIn.Classes, ds.Info.ClassNames); // from classes.txt, the user's field
        using var scope = NewDisposeScope();
        var s = ds.Get(0, SampleMode.Eval, 0);
        Assert.Equal([64L, 128L], s.Inputs["audio"]!.shape);
        Assert.Equal([3L, 3L, 24L, 24L], s.Inputs["visual"]!.shape);
        var raw = tensor(NpyFile.ReadFloat32(Path.Combine(standIn.OgmGe, KsDataset.FbankFolder, ds.NameOf(0) + ".npy")).Data, [64, 128]);
        var expected = (raw + 4.503877) / (2 * 5.141276);
        Assert.True(expected.allclose(s.Inputs["audio"]!, 1e-5, 1e-5));
        var rawDs = new KsDataset(standIn.OgmGe, "train", KsProtocol.OgmGe, KsStandInFixture.Small with { NormalizeFbank = false });
        Assert.True(raw.allclose(rawDs.Get(0, SampleMode.Eval, 0).Inputs["audio"]!));
    }

    [Fact]
    public void WithoutAClassListLabelsAreNumbered()
    {
        var root = TestPaths.TempDir("ks-noclasses");
        KsStandIn.Write(root, KsStandInFixture.Recipe with { TrainPerClass = 1, TestPerClass = 1 });
        File.Delete(Path.Combine(root, KsDataset.ClassesFile));
        var ds = new KsDataset(root, "test", KsProtocol.OgmGe, KsStandInFixture.Small);
        Assert.Equal(31, ds.Info.NumClasses);
        Assert.Equal("class00", ds.Info.ClassNames[0]);
        var few = KsStandInFixture.Small with { NumClasses = 3 };
        var e = Assert.Throws<InvalidDataException>(() => new KsDataset(root, "test", KsProtocol.OgmGe, few));
        Assert.Contains("my_test.txt", e.Message);
    }

    [Fact]
    public void DglLayoutComputesTheLogSpectrogramFromTheWav()
    {
        var ds = new KsDataset(standIn.Dgl, "test", KsProtocol.Dgl, KsStandInFixture.Small);
        Assert.Equal(2 * 6, ds.Count);
        Assert.Equal(KsStandIn.Classes, ds.Info.ClassNames);
        Assert.Equal([129L, 626L], ds.Info.Modality("audio").Shape);
        using var scope = NewDisposeScope();
        var eval = ds.Get(0, SampleMode.Eval, 0).Inputs["audio"]!;
        Assert.Equal([129L, 626L], eval.shape);
        Assert.True(eval.allclose(ds.Get(0, SampleMode.Eval, 5).Inputs["audio"]!));
        var a = ds.Get(0, SampleMode.Train, 1).Inputs["audio"]!;
        Assert.Equal([129L, 626L], a.shape);
    }

    [Fact]
    public void WrongFbankShapeAndMissingFramesNameTheFile()
    {
        var root = TestPaths.TempDir("ks-bad");
        KsStandIn.Write(root, KsStandInFixture.Recipe with { TrainPerClass = 1, TestPerClass = 1 });
        var ds = new KsDataset(root, "test", KsProtocol.OgmGe, KsStandInFixture.Small);
        var npy = Path.Combine(root, KsDataset.FbankFolder, ds.NameOf(0) + ".npy");
        NpyFile.WriteFloat32(npy, new float[10 * 128], [10, 128]);
        var fresh = new KsDataset(root, "test", KsProtocol.OgmGe, KsStandInFixture.Small);
        var e = Assert.Throws<InvalidDataException>(() => fresh.Get(0, SampleMode.Eval, 0));
        Assert.Contains(npy, e.Message);
        Assert.Contains("expected (64, 128)", e.Message);
        var frames = Path.Combine(root, KsDataset.FrameFolder, ds.NameOf(1));
        Directory.Delete(frames, true);
        Assert.Contains(frames, Assert.Throws<FileNotFoundException>(() => new KsDataset(root, "test", KsProtocol.OgmGe, KsStandInFixture.Small)).Message);
        var dropped = new KsDataset(root, "test", KsProtocol.OgmGe, KsStandInFixture.Small with { MissingFiles = MissingFilePolicy.Drop });
        Assert.Equal(1, dropped.Dropped.Count);
    }

    [Fact]
    public void StftVariantReadsOgmGesSpectrogramFiles()
    {
        var root = TestPaths.TempDir("ks-stft");
        KsStandIn.Write(root, KsStandInFixture.Recipe with { TrainPerClass = 1, TestPerClass = 1 });
        var ids = KsDataset.ReadOgmGeList(Path.Combine(root, "my_test.txt")).Select(x => x.Id).ToList();
        Directory.CreateDirectory(Path.Combine(root, KsDataset.StftFolder));
        foreach (var id in ids) NpyFile.WriteFloat32(Path.Combine(root, KsDataset.StftFolder, id + ".npy"), new float[257 * 1003], [257, 1003]);
        var ds = new KsDataset(root, "test", KsProtocol.OgmGe, KsStandInFixture.Small with { AudioFeature = KsAudioFeature.Stft });
        using var scope = NewDisposeScope();
        Assert.Equal([257L, 1003L], ds.Get(0, SampleMode.Eval, 0).Inputs["audio"]!.shape);
        var missing = Path.Combine(root, KsDataset.StftFolder, ids[1] + ".npy");
        File.Delete(missing);
        Assert.Contains(ids[1] + ".pkl", Assert.Throws<FileNotFoundException>(() => new KsDataset(root, "test", KsProtocol.OgmGe, KsStandInFixture.Small with { AudioFeature = KsAudioFeature.Stft })).Message);
    }

    [Fact]
    public void FbankIsTheKaldiFrontEndWithPaddingToTheTarget()
    {
        // 1 s of a tone at 16 kHz: 98 frames of 25/10 ms, padded with zeros to 128 rows
        var x = Enumerable.Range(0, 16000).Select(i => (float)(0.1 * Math.Sin(2 * Math.PI * 440 * i / 16000.0))).ToArray();
        using var scope = NewDisposeScope();
        var f = KaldiFbank.Compute(KaldiFbank.SubtractWaveformMean(x), 16000, new FbankOptions());
        Assert.Equal([98L, 128L], f.shape);
        var p = KaldiFbank.PadOrCrop(f, 128);
        Assert.Equal(0f, p[127].abs().sum().item<float>());
        Assert.True(f[50].argmax().item<long>() < 30); // energy in a low mel bin for 440 Hz
    }
}
