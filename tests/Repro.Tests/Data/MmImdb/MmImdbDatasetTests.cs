using System.Text.Json;
using Repro.Data;
using Repro.Data.MmImdb;
using Repro.Data.Text;
using static TorchSharp.torch;

namespace Repro.Tests.Data.MmImdb;

public sealed class MmImdbStandInFixture
{
    public MmImdbStandInFixture()
    {
        Root = TestPaths.TempDir("mmimdb");
        Splits = MmImdbStandIn.Write(Root, new MmImdbStandInRecipe { Train = 40, Dev = 10, Test = 20, Seed = 3, ImageSize = 32 });
    }

    public string Root { get; }
    public Dictionary<string, List<string>> Splits { get; }
    public static readonly ImageTextOptions Small = new() { ImageSize = 24, TextLength = 16 };
}

public class MmImdbDatasetTests(MmImdbStandInFixture standIn) : IClassFixture<MmImdbStandInFixture>
{
    [Fact]
    public void TargetsAreMultiHotOverTheTwentyThreeGenresInMapOrder()
    {
        var ds = new MmImdbDataset(standIn.Root, "train", MmImdbStandInFixture.Small);
        Assert.True(ds.Info.MultiLabel);
        Assert.Equal(23, ds.Info.NumClasses);
        Assert.Equal("Drama", ds.Info.ClassNames[0]);
        Assert.Equal("Film-Noir", ds.Info.ClassNames[22]);
        using var scope = NewDisposeScope();
        var s = ds.Get(0, SampleMode.Eval, 0);
        var meta = JsonDocument.Parse(File.ReadAllText(Path.Combine(standIn.Root, "dataset", ds.NameOf(0).Split('#')[0] + ".json")));
        var genres = meta.RootElement.GetProperty("genres").EnumerateArray().Select(g => g.GetString()!).ToHashSet();
        for (int k = 0; k < 23; k++) Assert.Equal(genres.Contains(MmImdbDataset.Genres[k]) ? 1f : 0f, s.Targets![k]);
        var batch = Batch.Collate([s, ds.Get(1, SampleMode.Eval, 0)], ds.Info);
        Assert.Equal([2L, 23L], batch.Targets!.shape);
    }

    [Fact]
    public void AllPlotsOrTheLongest()
    {
        var all = new MmImdbDataset(standIn.Root, "train", MmImdbStandInFixture.Small, PlotSelection.All);
        var longest = new MmImdbDataset(standIn.Root, "train", MmImdbStandInFixture.Small, PlotSelection.Longest);
        Assert.Equal(40, longest.Count);
        Assert.Equal(40, all.Movies);
        Assert.True(all.Count > longest.Count);
        Assert.Equal(39, all.MovieOf(all.Count - 1));
    }

    [Fact]
    public void UnknownGenreIsAnErrorNamingTheFileUnlessIgnored()
    {
        var root = TestPaths.TempDir("mmimdb-bad");
        var splits = MmImdbStandIn.Write(root, new MmImdbStandInRecipe { Train = 5, Dev = 2, Test = 3, ImageSize = 16 });
        var meta = Path.Combine(root, "dataset", splits["test"][0] + ".json");
        File.WriteAllText(meta, """{"genres": ["Drama", "Reality-TV"], "plot": ["a plot"]}""");
        var e = Assert.Throws<InvalidDataException>(() => new MmImdbDataset(root, "test", MmImdbStandInFixture.Small));
        Assert.Contains(meta, e.Message);
        Assert.Contains("Reality-TV", e.Message);
        var ignored = new MmImdbDataset(root, "test", MmImdbStandInFixture.Small, ignoreUnknownGenres: true);
        Assert.Equal(1, ignored.UnknownGenres);
        File.WriteAllText(meta, """{"genres": ["Drama"]}""");
        Assert.Contains("'plot'", Assert.Throws<InvalidDataException>(() => new MmImdbDataset(root, "test", MmImdbStandInFixture.Small)).Message);
        File.Delete(Path.Combine(root, "dataset", splits["dev"][0] + ".jpeg"));
        Assert.Contains(splits["dev"][0] + ".jpeg", Assert.Throws<FileNotFoundException>(() => new MmImdbDataset(root, "dev", MmImdbStandInFixture.Small)).Message);
    }
}
