using Repro.Data.Text;

namespace Repro.Tests.Data.Text;

public class WordPieceTests
{
    static WordPiece Small()
    {
        var path = Path.Combine(TestPaths.TempDir("vocab"), "vocab.txt");
        WordPiece.WriteVocab(path, ["apple", "pie", "the", "best", "##s", "recipe"]);
        return new WordPiece(path);
    }

    [Fact]
    public void EncodesLikeBertWithPaddingAndTruncation()
    {
        var wp = Small();
        Assert.Equal(0, wp.PadId);
        Assert.Equal(101, wp.ClsId); // BERT's positions: [PAD] 0, [unused0..98], [UNK] 100, [CLS] 101, [SEP] 102
        Assert.Equal(102, wp.SepId);
        var ids = wp.Encode("The BEST apple pies!", 10);
        Assert.Equal(10, ids.Length);
        Assert.Equal(101, ids[0]);
        // the, best, apple, pie, ##s, [UNK] for "!"? no: "!" is a separate token absent from the vocab
        Assert.Equal(102, ids[Array.IndexOf(ids, 102L)]);
        Assert.Equal(0, ids[^1]);
        var truncated = wp.Encode("apple pie apple pie apple pie", 4);
        Assert.Equal(new long[] { 101, truncated[1], truncated[2], 102 }, truncated);
        Assert.Equal(new long[] { 101, 102, 0, 0 }, wp.Encode("", 4));
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
    }
}
