using Repro.Data;
using Repro.Data.CremaD;
using Repro.Data.Images;
using static TorchSharp.torch;

namespace Repro.Tests.Data.CremaD;

public class CremaDDatasetTests
{
    static readonly CremaDOptions Small = new() { ImageSize = 32 };

    static string ThreeClips()
    {
        var root = CremaDFixture.NewRoot();
        foreach (var n in new[] { "1001_DFA_NEU_XX", "1002_IEO_ANG_HI", "1003_TIE_SAD_LO" }) CremaDFixture.Clip(root, n);
        CremaDFixture.List(root, "train.csv", "1001_DFA_NEU_XX,NEU", "1002_IEO_ANG_HI,ANG", "1003_TIE_SAD_LO,SAD");
        CremaDFixture.List(root, "test.csv", "1001_DFA_NEU_XX,NEU");
        return root;
    }

    [Fact]
    public void LoadsTheOgmGeShapesAndLabelOrder()
    {
        var ds = new CremaDDataset(ThreeClips(), "train", CremaDProtocol.OgmGe, Small);
        Assert.Equal(3, ds.Count);
        Assert.Equal(["Neutral", "Happy", "Sad", "Fear", "Disgust", "Anger"], ds.Info.ClassNames);
        Assert.Equal([0, 5, 2], Enumerable.Range(0, 3).Select(ds.LabelOf));
        using var scope = NewDisposeScope();
        var s = ds.Get(1, SampleMode.Eval, 0);
        Assert.Equal([257L, 188L], s.Inputs["audio"]!.shape);
        Assert.Equal([3L, 1L, 32L, 32L], s.Inputs["visual"]!.shape);
        Assert.Equal("1002_IEO_ANG_HI", s.Id);
    }

    [Fact]
    public void ResizesTheSpectrogramWhenAProfileAsks()
    {
        var ds = new CremaDDataset(ThreeClips(), "train", null, Small with { SpectrogramSize = (64, 47) });
        using var scope = NewDisposeScope();
        Assert.Equal([64L, 47L], ds.Get(0, SampleMode.Eval, 0).Inputs["audio"]!.shape);
        Assert.Equal([64L, 47L], ds.Info.Modality("audio").Shape);
    }

    [Fact]
    public void FramesAreChosenFromTheSortedListingNotCreationOrder()
    {
        var root = CremaDFixture.NewRoot();
        const string name = "1001_DFA_HAP_XX";
        CremaDFixture.Wav(root, name);
        // created in the order red, blue, green; sorted names give blue (00000), green (00001), red (00002)
        CremaDFixture.Frame(root, name, "00002.jpg", 255, 0, 0);
        CremaDFixture.Frame(root, name, "00000.jpg", 0, 0, 255);
        CremaDFixture.Frame(root, name, "00001.jpg", 0, 255, 0);
        CremaDFixture.List(root, "train.csv", $"{name},HAP");

        using var scope = NewDisposeScope();
        var first = new CremaDDataset(root, "train", null, Small).Get(0, SampleMode.Eval, 0).Inputs["visual"]!;
        Assert.Equal(2, DominantChannel(first, 0));
        var three = new CremaDDataset(root, "train", null, Small with { Frames = 3, FrameSelection = FrameSelection.Uniform })
            .Get(0, SampleMode.Eval, 0).Inputs["visual"]!;
        Assert.Equal([3L, 3L, 32L, 32L], three.shape);
        Assert.Equal([2, 1, 0], Enumerable.Range(0, 3).Select(t => DominantChannel(three, t)));
    }

    static int DominantChannel(Tensor chtw, int frame)
    {
        var std = ImageTransforms.ImageNetStd;
        var mean = ImageTransforms.ImageNetMean;
        var means = Enumerable.Range(0, 3).Select(c => chtw[c, frame].mean().item<float>() * std[c] + mean[c]).ToArray();
        return Array.IndexOf(means, means.Max());
    }

    [Fact]
    public void EvalSamplesAreDeterministicAndTrainSamplesFollowTheirSeed()
    {
        var ds = new CremaDDataset(ThreeClips(), "train", null, Small);
        using var scope = NewDisposeScope();
        Assert.True(ds.Get(0, SampleMode.Eval, 1).Inputs["visual"]!.equal(ds.Get(0, SampleMode.Eval, 2).Inputs["visual"]!).all().item<bool>());
        Assert.True(ds.Get(0, SampleMode.Train, 7).Inputs["visual"]!.equal(ds.Get(0, SampleMode.Train, 7).Inputs["visual"]!).all().item<bool>());
    }

    [Fact]
    public void SelectFramesRepeatsTheLastFrameOfShortClips() =>
        Assert.Equal(["a", "b", "b"], CremaDDataset.SelectFrames(["a", "b"], 3, FrameSelection.First));

    // ---- bad input: each error names the file and what was expected ----

    [Fact]
    public void AMissingSplitListIsNamed()
    {
        var root = ThreeClips();
        File.Delete(Path.Combine(root, "test.csv"));
        var e = Assert.Throws<FileNotFoundException>(() => new CremaDDataset(root, "test"));
        Assert.Contains(Path.Combine(root, "test.csv"), e.Message);
        Assert.Contains("name,LABEL", e.Message);
    }

    [Fact]
    public void AMalformedLineIsNamedWithItsNumber()
    {
        var root = ThreeClips();
        CremaDFixture.List(root, "train.csv", "1001_DFA_NEU_XX,NEU", "1002_IEO_ANG_HI;ANG");
        var e = Assert.Throws<InvalidDataException>(() => new CremaDDataset(root, "train"));
        Assert.Contains("train.csv, line 2", e.Message);
    }

    [Fact]
    public void AnUnknownLabelIsRefusedWithTheProtocolsLabels()
    {
        var root = ThreeClips();
        CremaDFixture.List(root, "train.csv", "1001_DFA_NEU_XX,NEU", "1002_IEO_ANG_HI,Angry");
        var e = Assert.Throws<InvalidDataException>(() => new CremaDDataset(root, "train"));
        Assert.Contains("line 2", e.Message);
        Assert.Contains("'Angry'", e.Message);
        Assert.Contains("NEU, HAP, SAD, FEA, DIS, ANG", e.Message);
    }

    [Fact]
    public void AnEmptySplitIsAnError()
    {
        var root = ThreeClips();
        CremaDFixture.List(root, "test.csv");
        var e = Assert.Throws<InvalidDataException>(() => new CremaDDataset(root, "test"));
        Assert.Contains("test.csv", e.Message);
        Assert.Contains("no usable clips", e.Message);
    }

    [Fact]
    public void AMissingWavIsNamedOrDroppedAndCounted()
    {
        var root = ThreeClips();
        var wav = Path.Combine(root, "AudioWAV", "1002_IEO_ANG_HI.wav");
        File.Delete(wav);
        var e = Assert.Throws<FileNotFoundException>(() => new CremaDDataset(root, "train"));
        Assert.Contains(wav, e.Message);
        var ds = new CremaDDataset(root, "train", null, Small with { MissingFiles = MissingFilePolicy.Drop });
        Assert.Equal(2, ds.Count);
        Assert.Equal(1, ds.Dropped.Count);
        Assert.Contains("1002_IEO_ANG_HI", ds.Dropped.ToString());
    }

    [Fact]
    public void AMissingOrEmptyFrameFolderIsNamed()
    {
        var root = ThreeClips();
        var dir = Path.Combine(root, "Image-01-FPS", "1003_TIE_SAD_LO");
        File.Delete(Path.Combine(dir, "00000.jpg"));
        var e = Assert.Throws<FileNotFoundException>(() => new CremaDDataset(root, "train"));
        Assert.Contains(dir, e.Message);
        Assert.Contains("no .jpg", e.Message);
        Directory.Delete(dir);
        e = Assert.Throws<FileNotFoundException>(() => new CremaDDataset(root, "train"));
        Assert.Contains("not found", e.Message);
    }

    [Fact]
    public void ACorruptWavIsNamedWhenRead()
    {
        var root = ThreeClips();
        var wav = Path.Combine(root, "AudioWAV", "1001_DFA_NEU_XX.wav");
        File.WriteAllText(wav, "this is not audio");
        var ds = new CremaDDataset(root, "train", null, Small);
        var e = Assert.Throws<InvalidDataException>(() => ds.Get(0, SampleMode.Eval, 0));
        Assert.Contains(wav, e.Message);
    }

    [Fact]
    public void ACorruptJpegIsNamedWhenRead()
    {
        var root = ThreeClips();
        var jpg = Path.Combine(root, "Image-01-FPS", "1001_DFA_NEU_XX", "00000.jpg");
        File.WriteAllBytes(jpg, File.ReadAllBytes(jpg)[..40]);
        var ds = new CremaDDataset(root, "train", null, Small);
        var e = Assert.ThrowsAny<Exception>(() => ds.Get(0, SampleMode.Eval, 0));
        Assert.Contains(jpg, e.Message);
    }

    [Fact]
    public void AClipListedTwiceIsRefused()
    {
        var root = ThreeClips();
        CremaDFixture.List(root, "train.csv", "1001_DFA_NEU_XX,NEU", "1001_DFA_NEU_XX,NEU");
        var e = Assert.Throws<InvalidDataException>(() => new CremaDDataset(root, "train"));
        Assert.Contains("listed twice", e.Message);
    }
}
