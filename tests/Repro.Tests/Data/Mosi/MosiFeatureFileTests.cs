using Repro.Data;
using Repro.Data.Formats;
using Repro.Data.Mosi;

namespace Repro.Tests.Data.Mosi;

/// <summary>The MOSI feature pickle on the tiny real pickles of tests/fixtures/mosi (made by numpy; make_fixtures.py says how).</summary>
public class MosiFeatureFileTests
{
    static string Fixture(string name) => Path.Combine(TestPaths.Fixtures, "mosi", name);

    [Theory]
    [InlineData("mult-p2.pkl")]
    [InlineData("mmsa-p4.pkl")]
    public void ReadsBothReleasedLayouts(string name)
    {
        var splits = MosiFeatureFile.Read(Fixture(name));
        Assert.Equal([5, 2, 3], MosiFeatureFile.SplitKeys.Select(k => splits[k].Count));
        var train = splits["train"];
        Assert.Equal((4, 6), (train.Inputs[Modalities.Text].Steps, train.Inputs[Modalities.Text].Dim));
        Assert.Equal((4, 3), (train.Inputs[Modalities.Audio].Steps, train.Inputs[Modalities.Audio].Dim));
        Assert.Equal((4, 2), (train.Inputs[Modalities.Visual].Steps, train.Inputs[Modalities.Visual].Dim));
        Assert.Equal([1.4f, -0.6f, 0f, 2.8f, -3f], train.Scores);
        // audio clip 0 step 2 feature 1 was -inf in the file: read as 0 (MulT, MMSA)
        Assert.Equal(0f, train.Inputs[Modalities.Audio].Values[(0 * 4 + 2) * 3 + 1]);
        Assert.Equal(name.StartsWith("mult") ? "vid0/0/0" : "vid0_0", train.Ids[0]);
    }

    [Fact]
    public void PoolsTheNonPaddingStepsAndLabelsByTheRule()
    {
        var d = new MosiDataset(Fixture("mult-p2.pkl"), MosiFeatureFile.Read(Fixture("mult-p2.pkl"))["train"]);
        var s = d.Get(0, SampleMode.Eval, 0);
        // text clip 0, step t feature i = (6t + i) / 10; step 0 is padding, so the mean of steps 1-3 is (12 + i) / 10
        Assert.Equal([1.2f, 1.3f, 1.4f, 1.5f, 1.6f, 1.7f], s.Inputs[Modalities.Text]!.data<float>().ToArray(), new FloatTolerance(1e-6f));
        // audio (3t + i - 5) / 4 over steps 1-3, the -inf at step 2 feature 1 counted as 0
        Assert.Equal([0.25f, 1f / 3, 0.75f], s.Inputs[Modalities.Audio]!.data<float>().ToArray(), new FloatTolerance(1e-6f));
        Assert.Equal([1, 0, 0, 1, 0], Enumerable.Range(0, d.Count).Select(d.LabelOf));
        var nonNegative = new MosiDataset(Fixture("mult-p2.pkl"), MosiFeatureFile.Read(Fixture("mult-p2.pkl"))["train"], MosiLabelRule.NonNegative);
        Assert.Equal([1, 0, 1, 1, 0], Enumerable.Range(0, nonNegative.Count).Select(nonNegative.LabelOf));
        Assert.Equal(["audio", "visual", "text"], d.Info.ModalityNames);
        Assert.Equal([3L], d.Info.Modality(Modalities.Audio).Shape);
    }

    [Fact]
    public void ListsEveryBadEntryNamingFileSplitAndKey()
    {
        var path = Path.Combine(TestPaths.TempDir("mosi"), "mosi_data.pkl");
        PickledArray F(long[] shape, params float[] v) =>
            new("<f4", shape, System.Runtime.InteropServices.MemoryMarshal.AsBytes(v.AsSpan()).ToArray());
        var good = new Dictionary<object, object?>
        {
            ["text"] = F([1, 1, 2], 1, 2), ["audio"] = F([1, 1, 1], 3), ["vision"] = F([1, 1, 1], 4), ["labels"] = F([1, 1, 1], 0.5f),
        };
        Pickle.Write(path, new Dictionary<object, object?>
        {
            ["train"] = new Dictionary<object, object?>(good) { ["text"] = new PickledArray("<i8", [1, 1, 2], new byte[16]) },
            ["test"] = new Dictionary<object, object?>(good) { ["labels"] = F([2], 0.5f, 7f), ["vision"] = F([1, 1, 1], float.NaN) },
        });
        var e = Assert.ThrowsAny<IOException>(() => MosiFeatureFile.Read(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("split 'valid' is missing", e.Message);
        Assert.Contains("split 'train' key 'text' is a <i8 array", e.Message);
        Assert.Contains("split 'test' key 'labels' has 1 score(s) outside [-3, 3]", e.Message);
        Assert.Contains("split 'test' key 'vision' has 1 non-finite value(s)", e.Message);
        Assert.Contains("split 'test' has different clip counts per key", e.Message);
    }

    [Fact]
    public void WrittenArraysReadBackAsNumpyWroteThem()
    {
        var path = Path.Combine(TestPaths.TempDir("mosi"), "a.pkl");
        var data = System.Runtime.InteropServices.MemoryMarshal.AsBytes(new float[] { 1.5f, -2f, 0f, 1e-3f, 7f, 8f }.AsSpan()).ToArray();
        Pickle.Write(path, new Dictionary<object, object?> { ["x"] = new PickledArray("<f4", [2, 3], data) });
        var a = Assert.IsType<PickledArray>(Assert.IsType<Dictionary<object, object?>>(Pickle.Load(path))["x"]);
        Assert.Equal("<f4", a.Descr);
        Assert.Equal([2L, 3L], a.Shape);
        Assert.Equal([1.5f, -2f, 0f, 1e-3f, 7f, 8f], a.ToFloat32());
    }

    sealed class FloatTolerance(float eps) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= eps;
        public int GetHashCode(float obj) => 0;
    }
}
