using Repro.Data.Text;

namespace Repro.Tests.Data.Text;

public class WordPieceTests
{
    static WordPiece Bert => WordPieceReferenceTests.BertBaseUncased.Value;

    static WordPiece Small(bool lowerCase = true)
    {
        var path = Path.Combine(TestPaths.TempDir("vocab"), "vocab.txt");
        WordPiece.WriteVocab(path, ["apple", "pie", "the", "best", "##s", "recipe", "!", "Crème", "crème"]);
        return new WordPiece(path, lowerCase);
    }

    [Fact]
    public void GreedyLongestMatchWithContinuationPieces()
    {
        Assert.Equal(["una", "##ffa", "##ble"], Bert.Tokens("unaffable"));
        Assert.Equal(["cr", "##eme", "ja", "##la", "##pen", "##o"], Bert.Tokens("Crème Jalapeño"));
    }

    [Fact]
    public void AWordWithoutMatchIsOneUnknown()
    {
        Assert.Equal(["soup", "[UNK]"], Bert.Tokens("soup 🍜"));
        Assert.Equal(["[UNK]", "司"], Bert.Tokens("寿司"));
    }

    [Fact]
    public void AWordOverTheLimitIsOneUnknown()
    {
        Assert.Equal(50, Bert.Pieces(new string('a', 100)).Count); // aaa ##aa ... ##a
        Assert.Equal(["[UNK]"], Bert.Tokens(new string('a', 101)));
        Assert.Equal(["[UNK]"], Bert.Tokens(new string('é', 101))); // counted after accent stripping, in code points
        var google = new WordPiece(Bert.VocabPath, maxCharsPerWord: 200); // google-research's FullTokenizer limit
        Assert.Equal(50, google.Pieces(new string('a', 101)).Count); // aaa, then 49 ##aa
    }

    [Fact]
    public void SpecialTokensInsideTextAreOrdinaryText()
    {
        Assert.Equal(["[", "cl", "##s", "]", "[", "un", "##k", "]"], Bert.Tokens("[CLS] [unk]"));
    }

    [Fact]
    public void EmptyTextIsClsSepThenPadding()
    {
        var ids = Bert.Encode("", 40);
        Assert.Equal([101L, 102L], ids[..2]);
        Assert.All(ids[2..], id => Assert.Equal(0L, id));
        Assert.Equal([101L, 102L], Bert.Encode("", 2));
    }

    [Fact]
    public void TruncatesThePiecesToFitClsAndSep()
    {
        var wp = Small();
        Assert.Equal([101L, wp.Pieces("apple")[0], wp.Pieces("pie")[0], 102L], wp.Encode("apple pie apple pie", 4));
        Assert.Equal(["the", "best", "apple", "pie", "##s", "!"], wp.Tokens("The BEST apple pies!"));
        Assert.Throws<ArgumentOutOfRangeException>(() => wp.Encode("apple", 1));
    }

    [Fact]
    public void CasedVariantKeepsCaseAndAccents()
    {
        Assert.Equal(["Crème", "crème", "[UNK]"], Small(lowerCase: false).Tokens("Crème crème CRÈME"));
        Assert.Equal(["[UNK]", "[UNK]"], Small(lowerCase: true).Tokens("Crème crème")); // uncased reads "creme", absent here
    }

    [Fact]
    public void MissingOrBadVocabularyNamesTheFile()
    {
        var dir = TestPaths.TempDir("vocab");
        var missing = Path.Combine(dir, "vocab.txt");
        Assert.Contains(missing, Assert.Throws<FileNotFoundException>(() => new WordPiece(missing)).Message);
        File.WriteAllLines(missing, ["hello", "world"]);
        var e = Assert.Throws<InvalidDataException>(() => new WordPiece(missing));
        Assert.Contains(missing, e.Message);
        Assert.Contains("[PAD]", e.Message);
        File.WriteAllLines(missing, ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "pie", "apple", "pie "]);
        e = Assert.Throws<InvalidDataException>(() => new WordPiece(missing));
        Assert.Contains(missing, e.Message);
        Assert.Contains("'pie' on lines 6 and 8", e.Message);
    }
}
