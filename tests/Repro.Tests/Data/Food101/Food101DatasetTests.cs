using Repro.Data;
using Repro.Data.Food101;
using Repro.Data.Text;
using static TorchSharp.torch;

namespace Repro.Tests.Data.Food101;

public sealed class Food101StandInFixture
{
    public Food101StandInFixture()
    {
        Root = TestPaths.TempDir("food101");
        Written = Food101StandIn.Write(Root, Recipe);
    }

    public static readonly Food101StandInRecipe Recipe = new() { TrainPerClass = 6, TestPerClass = 3, Seed = 4, ImageSize = 32 };
    public string Root { get; }
    public Food101StandIn.Written Written { get; }
    public static readonly ImageTextOptions Small = new() { ImageSize = 24, TextLength = 12 };
}

public class Food101DatasetTests(Food101StandInFixture standIn) : IClassFixture<Food101StandInFixture>
{
    [Fact]
    public void UpmcSplitHasSortedClassesImagesAndTokenisedTitles()
    {
        var train = new Food101Dataset(standIn.Root, "train", "upmc", Food101StandInFixture.Small);
        Assert.Equal(6 * 8, train.Count);
        Assert.Equal(Food101StandIn.Classes.Order(StringComparer.Ordinal), train.Info.ClassNames);
        using var scope = NewDisposeScope();
        var s = train.Get(0, SampleMode.Eval, 0);
        Assert.Equal([3L, 24L, 24L], s.Inputs["image"]!.shape);
        Assert.Equal([12L], s.Inputs["text"]!.shape);
        Assert.Equal(ScalarType.Int64, s.Inputs["text"]!.dtype);
        Assert.Equal(101, s.Inputs["text"]![0].item<long>());
        Assert.Equal(ScalarType.Int64, train.Info.Modality("text").DType);
    }

    [Fact]
    public void MapSplitUsesItsOwnClassOrderAndThreeSplits()
    {
        var train = new Food101Dataset(standIn.Root, "train", "map", Food101StandInFixture.Small);
        var val = new Food101Dataset(standIn.Root, "val", "map", Food101StandInFixture.Small);
        var test = new Food101Dataset(standIn.Root, "test", "map", Food101StandInFixture.Small);
        Assert.Equal(6 * 8, train.Count + val.Count);
        Assert.Equal(3 * 8, test.Count);
        Assert.Equal(Food101StandIn.Classes.Reverse(), train.Info.ClassNames);
    }

    [Fact]
    public void TextIsTheDominantModality()
    {
        // the class's own words appear in most titles; the class colour in about half the images
        var train = new Food101Dataset(standIn.Root, "train", "upmc", Food101StandInFixture.Small);
        int named = 0;
        var titles = Food101Dataset.ReadTitles(Path.Combine(standIn.Root, "texts", "train_titles.csv")).ToList();
        foreach (var (_, cls, title, _) in titles) if (cls.Split('_').All(w => title.Split(' ').Contains(w))) named++;
        Assert.InRange((double)named / titles.Count, 0.8, 1.0);
        Assert.True(Food101StandInFixture.Recipe.TextShown > Food101StandInFixture.Recipe.ImageShown);
    }

    [Fact]
    public void BadInputNamesTheFile()
    {
        var root = TestPaths.TempDir("food101-bad");
        Food101StandIn.Write(root, Food101StandInFixture.Recipe with { TrainPerClass = 1, TestPerClass = 1 });
        // a corrupt image: opening works, decoding names the file
        var image = Directory.GetFiles(Path.Combine(root, "images", "test"), "*.jpg", SearchOption.AllDirectories).Order().First();
        File.WriteAllBytes(image, [0xFF, 0xD8, 0xFF, 0x00, 0x01]);
        var test = new Food101Dataset(root, "test", "upmc", Food101StandInFixture.Small);
        int i = Enumerable.Range(0, test.Count).First(k => image.EndsWith(test.NameOf(k)));
        Assert.Contains(image, Assert.ThrowsAny<Exception>(() => test.Get(i, SampleMode.Eval, 0)).Message);
        // a missing image
        File.Delete(image);
        Assert.Contains(image, Assert.Throws<FileNotFoundException>(() => new Food101Dataset(root, "test", "upmc", Food101StandInFixture.Small)).Message);
        // an unknown class in the title list
        var csv = Path.Combine(root, "texts", "train_titles.csv");
        File.AppendAllText(csv, "sushi_1.jpg,fresh sushi,sushi\n");
        var e = Assert.Throws<InvalidDataException>(() => new Food101Dataset(root, "train", "upmc", Food101StandInFixture.Small));
        Assert.Contains(csv, e.Message);
        Assert.Contains("sushi", e.Message);
    }
}
