using Repro.Data.Text;

namespace Repro.Tests.Data.Text;

/// <summary>Each rule of BERT's basic tokenisation, with the words BERT's own tokenizer gives for the same text.</summary>
public class BertBasicTokenizerTests
{
    static List<string> Uncased(string text) => BertBasicTokenizer.Words(text, lowerCase: true);
    static List<string> Cased(string text) => BertBasicTokenizer.Words(text, lowerCase: false);

    [Fact]
    public void DropsNulReplacementControlAndFormatCharacters()
    {
        // U+200B zero-width space and U+00AD soft hyphen are format characters (Cf), U+0007 a control (Cc)
        Assert.Equal(["hello", "world"], Uncased("hel\u200Blo \0wor\uFFFDld\u00AD\u0007"));
    }

    [Fact]
    public void SplitsOnEveryUnicodeWhitespace()
    {
        Assert.Equal(["fresh", "fish", "lime", "chili", "soup", "rice", "tea", "pie"],
            Uncased("fresh\tfish\nlime\r\nchili\u00A0soup\u3000rice\u2028tea\u2029pie"));
        Assert.Empty(Uncased(" \t\r\n "));
        Assert.Empty(Uncased(""));
    }

    [Fact]
    public void LowerCasesAsPython()
    {
        Assert.Equal(["hello", "world"], Uncased("HELLO World"));
        Assert.Equal(["istanbul"], Uncased("\u0130stanbul")); // İ -> i + U+0307, whose dot the accent step drops
        // Final sigma: ς (U+03C2) where Σ ends a word, also before a full stop; σ elsewhere
        Assert.Equal(["\u03BF\u03B4\u03BF\u03C2", "\u03BF\u03B4\u03BF\u03C2", ".", "\u03C3\u03B1", "\u03C3"], Uncased("ΟΔΟΣ ΟΔΟΣ. ΣΑ Σ"));
    }

    [Fact]
    public void StripsAccentsOnlyWhenUncased()
    {
        Assert.Equal(["creme", "jalapeno", "smorgasbord", "a"], Uncased("Crème Jalapeño Smörgåsbord Å"));
        Assert.Equal(["Crème", "Jalapeño", "Smörgåsbord", "Å"], Cased("Crème Jalapeño Smörgåsbord Å"));
        Assert.Equal(["\u1112\u1161\u11AB"], Uncased("한")); // Hangul stays decomposed into jamo, as in BERT's vocabulary
    }

    [Fact]
    public void SplitsOffEveryAsciiNonAlphanumeric()
    {
        for (char c = '!'; c <= '~'; c++)
        {
            if (char.IsAsciiLetterOrDigit(c)) continue;
            Assert.Equal(["x", c.ToString(), "y"], Uncased($"x{c}y"));
        }
        Assert.Equal(["grand", "_", "ma", "'", "s"], Uncased("grand_ma's"));
    }

    [Fact]
    public void SplitsOffUnicodePunctuationButNotSymbols()
    {
        Assert.Equal(["«", "quoted", "»", "¿", "que", "?", "a", "—", "b", "•"], Uncased("«quoted» ¿qué? a—b•"));
        Assert.Equal(["a°b", "a€b", "350°f", "soup🍜"], Uncased("a°b a€b 350°F soup🍜")); // So, Sc: part of the word
    }

    [Fact]
    public void MakesEachCjkIdeographAWord()
    {
        Assert.Equal(["寿", "司", "sushi"], Uncased("寿司sushi"));
        Assert.Equal(["\u3400", "x", "\U00020000"], Uncased("\u3400x\U00020000")); // first of extension A, first of B
        Assert.Equal(["すし", "カレー"], Uncased("すし カレー")); // Hiragana and Katakana are not ideographs
    }

    [Fact]
    public void ReadsInvalidUtf16AsAnUnknownCharacter()
    {
        Assert.Equal(["a\uFFFFb"], Uncased("a\uD800b"));
        Assert.Equal(["a\uFFFEb"], Uncased("a\uFFFEb")); // a noncharacter .NET's NFD alone would reject
    }
}
