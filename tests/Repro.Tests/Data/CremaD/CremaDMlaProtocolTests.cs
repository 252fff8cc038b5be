using Repro.Data;
using Repro.Data.CremaD;
using static TorchSharp.torch;

namespace Repro.Tests.Data.CremaD;

public class CremaDMlaProtocolTests
{
    [Fact]
    public void MlaStandInHasItsListsLabelOrderFbankAndSplitFolders()
    {
        var root = TestPaths.TempDir("cremad-mla");
        var recipe = new CremaDStandInRecipe { TrainPerClass = 2, TestPerClass = 1, Seed = 3, FbankFrames = 100, FrameWidth = 48, FrameHeight = 32 };
        CremaDStandIn.Write(root, recipe, CremaDProtocol.Mla);
        var firstLine = File.ReadAllLines(Path.Combine(root, "my_train_cre.txt"))[0];
        Assert.Matches(@"^\d{4}_[A-Z]{3}_(ANG|DIS|FEA|HAP|NEU|SAD)_[A-Z]{2}\.flv (Anger|Disgust|Fear|Happy|Neutral|Sad)$", firstLine);
        var options = new CremaDOptions { ImageSize = 24, Frames = 3, FrameSelection = FrameSelection.Uniform, FbankFrames = 100 };
        var ds = new CremaDDataset(root, "test", CremaDProtocol.Mla, options);
        Assert.Equal(6, ds.Count);
        Assert.Equal(["Anger", "Disgust", "Fear", "Happy", "Neutral", "Sad"], ds.Info.ClassNames);
        for (int i = 0; i < ds.Count; i++)
            Assert.Equal(CremaDProtocol.Mla.NameCodes![ds.LabelOf(i)], ds.NameOf(i).Split('_')[2]);
        using var scope = NewDisposeScope();
        var s = ds.Get(0, SampleMode.Eval, 0);
        Assert.Equal([100L, 128L], s.Inputs["audio"]!.shape);
        Assert.Equal([3L, 3L, 24L, 24L], s.Inputs["visual"]!.shape);
        Assert.True(File.Exists(Path.Combine(root, "audio", "test_fbank", ds.NameOf(0) + ".npy")));
        Assert.True(Directory.Exists(Path.Combine(root, "visual", "test_imgs", "Image-01-FPS", ds.NameOf(0))));
    }

    [Fact]
    public void MlaListLabelsOutsideTheProtocolNameTheLine()
    {
        var root = TestPaths.TempDir("cremad-mla-bad");
        File.WriteAllText(Path.Combine(root, "my_train_cre.txt"), "1002_DFA_HAP_XX.flv Joy\n");
        var e = Assert.Throws<InvalidDataException>(() => new CremaDDataset(root, "train", CremaDProtocol.Mla));
        Assert.Contains("line 1", e.Message);
        Assert.Contains("Joy", e.Message);
    }
}
