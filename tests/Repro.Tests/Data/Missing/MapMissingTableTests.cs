using Repro.Data;
using Repro.Data.Missing;
using static TorchSharp.torch;

namespace Repro.Tests.Data.Missing;

public class MapMissingTableTests
{
    [Theory]
    [InlineData(MapMissingType.Text, 1000, 0.7, 0, 700, 0)]
    [InlineData(MapMissingType.Image, 1000, 0.7, 0, 0, 700)]
    [InlineData(MapMissingType.Both, 1000, 0.7, 300, 350, 350)]
    [InlineData(MapMissingType.Both, 999, 0.7, 300, 350, 349)]
    public void CountsFollowMapsDefinition(MapMissingType type, int n, double eta, int completeBoth, int text, int image)
    {
        var t = MapMissingTable.Generate(n, type, eta, seed: 0);
        int missing = (int)(n * eta);
        Assert.Equal(n - missing, t.Count(x => x == MapMissingTable.Complete));
        Assert.Equal(text, t.Count(x => x == MapMissingTable.TextMissing));
        Assert.Equal(image, t.Count(x => x == MapMissingTable.ImageMissing));
        if (type == MapMissingType.Both) Assert.Equal(completeBoth, t.Count(x => x == 0));
    }

    [Fact]
    public void MaskSavesReloadsAndTurnsInputsIntoMissing()
    {
        var n = 20;
        var ds = new TensorDataset("toy", new Dictionary<string, Tensor> { ["image"] = ones(n, 2), ["text"] = ones(n, 3) }, arange(n) % 2, ["a", "b"]);
        var mask = ModalityMask.Map(["image", "text"], n, MapMissingType.Both, 0.5, seed: 3);
        var path = Path.Combine(TestPaths.TempDir("mask"), "train-map.json");
        mask.Save(path);
        var back = ModalityMask.Load(path);
        Assert.Equal(mask.Kept.Cast<bool>(), back.Kept.Cast<bool>());
        Assert.Equal("both", back.Parameters["type"]);
        var masked = back.Apply(ds);
        using var scope = NewDisposeScope();
        for (int i = 0; i < n; i++)
        {
            var s = masked.Get(i, SampleMode.Eval, 0);
            Assert.Equal(back.Has(i, "image"), s.Has("image"));
            Assert.Equal(back.Has(i, "text"), s.Has("text"));
            Assert.True(s.Has("image") || s.Has("text"));
        }
        var batch = Batch.Collate(Enumerable.Range(0, n).Select(i => masked.Get(i, SampleMode.Eval, 0)).ToList(), masked.Info);
        Assert.Equal(n - 5, batch.CountWith("image"));
        Assert.Equal(n - 5, batch.CountWith("text"));
    }

    [Fact]
    public void LoadOrCreateReusesTheSavedMask()
    {
        var path = Path.Combine(TestPaths.TempDir("mask"), "m.json");
        var first = ModalityMask.LoadOrCreate(path, () => ModalityMask.Cpm(["a", "v", "t"], 100, 0.3, 1));
        var second = ModalityMask.LoadOrCreate(path, () => throw new InvalidOperationException("must not be called"));
        Assert.Equal(first.Kept.Cast<bool>(), second.Kept.Cast<bool>());
    }

    [Fact]
    public void BadMaskFilesNameTheFileAndField()
    {
        var path = Path.Combine(TestPaths.TempDir("mask"), "bad.json");
        File.WriteAllText(path, """{"protocol":"cpm","modalities":["a","v"],"parameters":{},"count":2,"rows":["10","1x"]}""");
        var e = Assert.Throws<InvalidDataException>(() => ModalityMask.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("rows[1]", e.Message);
        var wrongCount = new ModalityMask(["image", "text"], new bool[3, 2]);
        var ds = new TensorDataset("toy", new Dictionary<string, Tensor> { ["image"] = ones(4, 1), ["text"] = ones(4, 1) }, zeros(4, ScalarType.Int64), ["a"]);
        Assert.Contains("3 rows", Assert.Throws<ArgumentException>(() => wrongCount.Apply(ds)).Message);
    }
}
