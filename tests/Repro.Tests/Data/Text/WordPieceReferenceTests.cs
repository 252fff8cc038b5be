using System.Text.Json;
using Repro.Data.Text;

namespace Repro.Tests.Data.Text;

/// <summary>
/// The reference of tests/fixtures/frontend/wordpiece: 21 crawled-style titles and a plot, encoded by BERT's own
/// tokenizer with bert-base-uncased's vocabulary at lengths 40 and 64 (the plot is truncated at 40).
/// </summary>
public class WordPieceReferenceTests
{
    static readonly string Folder = Path.Combine(TestPaths.Frontend, "wordpiece");
    internal static readonly Lazy<WordPiece> BertBaseUncased = new(() => new WordPiece(Path.Combine(Folder, "vocab.txt")));

    static IEnumerable<(string Text, long[] Ids40, long[] Ids64)> Reference() =>
        File.ReadLines(Path.Combine(Folder, "reference.jsonl")).Where(l => l.Length > 0).Select(l =>
        {
            using var d = JsonDocument.Parse(l);
            long[] Ids(string name) => d.RootElement.GetProperty(name).EnumerateArray().Select(x => x.GetInt64()).ToArray();
            return (d.RootElement.GetProperty("text").GetString()!, Ids("ids_40"), Ids("ids_64"));
        }).ToList();

    public static IEnumerable<object[]> Cases() => Reference().Select((r, i) => new object[] { i, r.Text });

    [Theory]
    [MemberData(nameof(Cases))]
    public void EncodesAsBertAtLengths40And64(int line, string text)
    {
        var (_, ids40, ids64) = Reference().ElementAt(line);
        Assert.Equal(ids40, BertBaseUncased.Value.Encode(text, 40));
        Assert.Equal(ids64, BertBaseUncased.Value.Encode(text, 64));
    }

    [Fact]
    public void TheReferenceHoldsTwentyOneTextsAndATruncatedPlot()
    {
        var all = Reference().ToList();
        Assert.Equal(21, all.Count);
        Assert.Contains(all, r => r.Ids40[^1] == 102 && r.Ids64[^1] == 0); // the plot: cut at 40, whole at 64
    }

    [Fact]
    public void TheVocabularyIsBertBaseUncased()
    {
        var wp = BertBaseUncased.Value;
        Assert.Equal(30522, wp.VocabSize);
        Assert.Equal((0, 100, 101, 102), (wp.PadId, wp.UnkId, wp.ClsId, wp.SepId));
        Assert.Equal("the", wp.TokenOf(1996));
    }
}
