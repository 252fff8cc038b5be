using Repro.Data.Food101;
using Repro.Data.MmImdb;
using Repro.Data.Prepare;
using Repro.Data.Text;
using Xunit.Abstractions;

namespace Repro.Tests.Data.Prepare;

/// <summary>`prepare food101|mmimdb`: every title or plot tokenised once, and the splits' losses to [UNK] and truncation reported.</summary>
public class ImageTextPrepareTests(ITestOutputHelper output)
{
    [Fact]
    public void Food101CountsTitlesThatLoseWordsToUnknownAndToTruncation()
    {
        var raw = TestPaths.TempDir("food101-raw");
        Food101StandIn.Write(raw, new Food101StandInRecipe { TrainPerClass = 2, TestPerClass = 1, ImageSize = 16 });
        // the stand-in's vocabulary has "apple" and "pie", not "crème", "brûlée" or the emoji; at 8 ids 6 pieces fit
        string[] titles = ["apple pie", "apple pie 🍜", "crème brûlée 🍜", "apple pie apple pie apple pie apple pie"];
        foreach (var split in new[] { "train", "test" })
        {
            var csv = Path.Combine(raw, "texts", $"{split}_titles.csv");
            var rows = Food101Dataset.ReadTitles(csv).ToList();
            File.WriteAllLines(csv, rows.Select((r, i) => $"{r.Id},{Csv.Quote(titles[i % titles.Length])},{r.Class}"));
        }
        var log = new List<string>();
        var outDir = TestPaths.TempDir("food101-out");
        var prep = new DataPreparer { Raw = raw, Out = outDir, TextLength = 8, Log = l => { log.Add(l); output.WriteLine(l); } };
        prep.Run(p => p.ImageText("food101"));

        var (split0, train) = prep.TextReports[0];
        Assert.Equal(("train", 16), (split0, train.Texts)); // 2 x 8 classes: each title 4 times
        Assert.Equal((8, 16), (train.WithUnknown, train.UnknownWords)); // 4 x 1 + 4 x 3 words
        Assert.Equal((4, 8), (train.Truncated, train.CutPieces)); // 8 pieces, 6 kept
        var (split1, test) = prep.TextReports[1];
        Assert.Equal(("test", 8, 4, 8, 2, 4), (split1, test.Texts, test.WithUnknown, test.UnknownWords, test.Truncated, test.CutPieces));
        Assert.Contains(log, l => l.StartsWith("food101 train: 16 titles") && l.Contains("8 of 16 lose words to [UNK]") && l.Contains("4 lose word pieces to truncation at 8 ids"));

        // again at the default length, with a vocabulary of its own (--vocab) that lacks "pie"
        var vocab = Path.Combine(TestPaths.TempDir("vocab"), "vocab.txt");
        WordPiece.WriteVocab(vocab, ["apple"]);
        var again = new DataPreparer { Raw = raw, Out = outDir, Vocab = vocab };
        again.Run(p => p.ImageText("food101"));
        var (_, trainAgain) = again.TextReports[0];
        Assert.Equal((40, 0), (trainAgain.TextLength, trainAgain.Truncated));
        Assert.Equal((16, 40), (trainAgain.WithUnknown, trainAgain.UnknownWords)); // 4 x (1 + 2 + 3 + 4)
    }

    [Fact]
    public void MmImdbReportsEveryPlotOfEverySplit()
    {
        var raw = TestPaths.TempDir("mmimdb-raw");
        MmImdbStandIn.Write(raw, new MmImdbStandInRecipe { Train = 12, Dev = 4, Test = 6, ImageSize = 16 });
        var prep = new DataPreparer { Raw = raw, Out = TestPaths.TempDir("mmimdb-out"), TextLength = 8, Log = output.WriteLine };
        prep.Run(p => p.ImageText("mmimdb"));
        Assert.Equal(["train", "dev", "test"], prep.TextReports.Select(r => r.Split));
        foreach (var (split, coverage) in prep.TextReports)
        {
            Assert.Equal(new MmImdbDataset(raw, split).Count, coverage.Texts); // every plot, a movie with two counted twice
            Assert.Equal(0, coverage.WithUnknown); // the stand-in's plots use its own vocabulary only
            Assert.Equal(coverage.Texts, coverage.Truncated); // 8 or more words: more than the 6 pieces that fit
        }
    }
}
