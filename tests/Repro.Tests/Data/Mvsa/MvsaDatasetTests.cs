using Repro.Data;
using Repro.Data.Mvsa;
using Repro.Data.Text;
using static TorchSharp.torch;

namespace Repro.Tests.Data.Mvsa;

public sealed class MvsaStandInFixture
{
    public MvsaStandInFixture()
    {
        Root = TestPaths.TempDir("mvsa");
        Written = MvsaStandIn.Write(Root, Recipe);
    }

    public static readonly MvsaStandInRecipe Recipe = new() { Train = 80, Test = 32, Seed = 3, ImageSize = 32 };
    public string Root { get; }
    public MvsaStandIn.Written Written { get; }
    public static readonly ImageTextOptions Small = new() { ImageSize = 24, TextLength = 20 };
}

public class MvsaDatasetTests(MvsaStandInFixture standIn) : IClassFixture<MvsaStandInFixture>
{
    [Fact]
    public void MlaListsGiveSortedClassesImagesAndTokenisedTweets()
    {
        var train = new MvsaDataset(standIn.Root, "train", "mla", MvsaStandInFixture.Small);
        var test = new MvsaDataset(standIn.Root, "test", "mla", MvsaStandInFixture.Small);
        Assert.Equal(80, train.Count);
        Assert.Equal(32, test.Count);
        Assert.Equal(["negative", "neutral", "positive"], train.Info.ClassNames);
        using var scope = NewDisposeScope();
        var s = test.Get(0, SampleMode.Eval, 0);
        Assert.Equal([3L, 24L, 24L], s.Inputs["image"]!.shape);
        Assert.Equal([20L], s.Inputs["text"]!.shape);
        Assert.Equal(101, s.Inputs["text"]![0].item<long>());   // [CLS]
        // MLA's train list is QMF's train list; its test list takes a few posts of QMF's dev split
        var qmfTrain = new MvsaDataset(standIn.Root, "train", "qmf", MvsaStandInFixture.Small);
        Assert.Equal(Enumerable.Range(0, 80).Select(qmfTrain.NameOf), Enumerable.Range(0, 80).Select(train.NameOf));
        var dev = new MvsaDataset(standIn.Root, "dev", "qmf", MvsaStandInFixture.Small);
        var devIds = Enumerable.Range(0, dev.Count).Select(dev.NameOf).ToHashSet();
        Assert.Equal(2, Enumerable.Range(0, test.Count).Count(i => devIds.Contains(test.NameOf(i))));   // round(32 * 32 / 519)
        // a post from dev keeps its text from dev.jsonl
        int fromDev = Enumerable.Range(0, test.Count).First(i => devIds.Contains(test.NameOf(i)));
        int inDev = Enumerable.Range(0, dev.Count).First(i => dev.NameOf(i) == test.NameOf(fromDev));
        Assert.Equal(dev.TextOf(inDev), test.TextOf(fromDev));
    }

    [Fact]
    public void QmfSplitsKeepOnlyPostsWhoseTwoLabelsAgree()
    {
        var bad = new BadInputs();
        var labels = MvsaLabelFile.Read(Path.Combine(standIn.Root, MvsaLabelFile.FileName), bad);
        Assert.Equal(0, bad.Count);
        int kept = 80 + 32 + 32, disagreeing = (int)Math.Round(kept * MvsaStandInFixture.Recipe.Disagreeing);
        Assert.Equal(kept + disagreeing, labels.Count);
        Assert.Equal(kept, labels.Agreeing.Count());
        Assert.Equal(kept + disagreeing, Directory.GetFiles(Path.Combine(standIn.Root, "data"), "*.txt").Length);
        var listed = new List<string>();
        foreach (var split in MvsaLists.QmfSplits)
        {
            var d = new MvsaDataset(standIn.Root, split, "qmf", MvsaStandInFixture.Small);
            for (int i = 0; i < d.Count; i++)
            {
                Assert.Equal((MvsaDataset.Classes[d.LabelOf(i)], MvsaDataset.Classes[d.LabelOf(i)]), labels.Of(d.NameOf(i)));
                listed.Add(d.NameOf(i));
            }
        }
        Assert.Equal(labels.Agreeing.Select(p => p.Id).Order(), listed.Order());
        // each split at MVSA's class shares: QMF's train split is 422 / 282 / 851 of 1,555
        Assert.Equal([22, 14, 44], standIn.Written.Qmf["train"].GroupBy(p => p.Label).OrderBy(g => g.Key).Select(g => g.Count()));
    }

    [Fact]
    public void CountsFollowMvsasSharesByLargestRemainder()
    {
        // 80 x (0.2714, 0.1813, 0.5473) = 21.71, 14.51, 43.78: floors 21, 14, 43, the two largest remainders add one each
        Assert.Equal([22, 14, 44], MvsaStandIn.Counts(80));
        Assert.Equal([1, 1, 1], MvsaStandIn.Counts(3));
        // 1,555 gives back QMF's training split
        Assert.Equal([422, 282, 851], MvsaStandIn.Counts(1555));
        Assert.Throws<ArgumentException>(() => MvsaStandIn.Counts(2));
    }

    [Fact]
    public void TextIsTheStrongerModality()
    {
        // the class's sentiment words appear in most tweets; the class colour in fewer images
        var train = new MvsaDataset(standIn.Root, "train", "qmf", MvsaStandInFixture.Small);
        string[][] cues = [["sad", "hate", "angry", "terrible", "awful", "worst"], ["news", "update", "report", "announced", "meeting", "schedule"], ["love", "happy", "great", "beautiful", "amazing", "best"]];
        int named = Enumerable.Range(0, train.Count).Count(i => train.TextOf(i).Split(' ').Any(w => cues[train.LabelOf(i)].Contains(w)));
        Assert.InRange((double)named / train.Count, 0.6, 0.9);
        Assert.True(MvsaStandInFixture.Recipe.TextShown > MvsaStandInFixture.Recipe.ImageShown);
    }

    [Fact]
    public void BadInputListsEveryProblemWithFileLineAndField()
    {
        var root = TestPaths.TempDir("mvsa-bad");
        MvsaStandIn.Write(root, MvsaStandInFixture.Recipe with { Train = 12, Test = 6 });
        var jsonl = Path.Combine(root, "train.jsonl");
        var labelFile = Path.Combine(root, MvsaLabelFile.FileName);
        var lines = File.ReadAllLines(jsonl);
        string Id(int line) => System.Text.Json.JsonDocument.Parse(lines[line]).RootElement.GetProperty("id").GetString()!;
        // a removed image (line 1), an unknown label (line 2), a field missing (line 3), a label the label file contradicts (line 4)
        var image = Path.Combine(root, "data", Id(0) + ".jpg");
        File.Delete(image);
        lines[1] = lines[1].Replace("\"label\": \"", "\"label\": \"very ");
        lines[2] = System.Text.RegularExpressions.Regex.Replace(lines[2], "\"text\": \"[^\"]*\", ", "");
        var fourth = System.Text.Json.JsonDocument.Parse(lines[3]).RootElement.GetProperty("label").GetString()!;
        var other = MvsaDataset.Classes.First(c => c != fourth);
        lines[3] = lines[3].Replace($"\"label\": \"{fourth}\"", $"\"label\": \"{other}\"");
        File.WriteAllLines(jsonl, lines);
        // a bad line in the label file, of a post no split lists
        var labelLines = File.ReadAllLines(labelFile).ToList();
        int disagreeing = labelLines.FindIndex(1, l => l.Contains('\t') && l.Split('\t')[1].Split(',') is var p && p[0] != p[1]);
        var victim = labelLines[disagreeing].Split('\t')[0];
        labelLines[disagreeing] = $"{victim}\tpositive;negative";
        File.WriteAllLines(labelFile, labelLines);

        var e = Assert.Throws<BadInputsException>(() => new MvsaDataset(root, "train", "qmf", MvsaStandInFixture.Small));
        Assert.Equal(5, e.Problems.Count);
        Assert.Contains($"{jsonl}, line 1: image {image} of post {Id(0)} not found", e.Message);
        Assert.Contains($"{jsonl}, line 2: field 'label' of post {Id(1)} is 'very ", e.Message);
        Assert.Contains($"{jsonl}, line 3: field 'text' missing or not a string", e.Message);
        Assert.Contains($"{jsonl}, line 4: field 'label' is '{other}', but {labelFile} gives post {Id(3)} '{fourth}'", e.Message);
        Assert.Contains($"{labelFile}, line {disagreeing + 1}: '{victim}\tpositive;negative'; expected `<id><TAB><text label>,<image label>`", e.Message);
        // missing lists are named together too
        File.Delete(Path.Combine(root, "dev.jsonl"));
        File.Delete(Path.Combine(root, "my_test_mvsa.txt"));
        var missing = Assert.Throws<BadInputsException>(() => new MvsaDataset(root, "test", "mla", MvsaStandInFixture.Small));
        Assert.Contains("my_test_mvsa.txt", missing.Message);
        Assert.Contains("dev.jsonl", missing.Message);
    }
}
