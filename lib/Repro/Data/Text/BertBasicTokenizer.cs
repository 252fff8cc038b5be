using System.Globalization;
using System.Text;

namespace Repro.Data.Text;

/// <summary>
/// BERT's basic tokenisation (google-research/bert tokenization.py, BasicTokenizer), the step before WordPiece: text to
/// words. Written by hand: Microsoft.ML.Tokenizers' BertTokenizer differs from it (see <see cref="WordPiece"/>). In
/// BERT's order, on code points:
/// <list type="number">
/// <item>clean: drop U+0000, U+FFFD and the control and format characters (Cc, Cf) except tab, newline and carriage
/// return, which are whitespace;</item>
/// <item>CJK ideographs (<see cref="IsCjkIdeograph"/>) become words of their own;</item>
/// <item>split on whitespace (Zs, Zl, Zp, tab, newline, carriage return);</item>
/// <item>uncased only: lower-case each word as Python's <c>str.lower</c> (<see cref="PythonLowerCase"/>), decompose it
/// (NFD) and drop the non-spacing marks (Mn), so <c>Crème</c> reads <c>creme</c>;</item>
/// <item>split off every punctuation character (<see cref="IsPunctuation"/>) as a word of its own.</item>
/// </list>
/// A lone surrogate (not Unicode; no UTF-8 file holds one) is read as U+FFFF, which every step treats alike: kept, and
/// [UNK] in the end.
/// </summary>
public static class BertBasicTokenizer
{
    public static List<string> Words(string text, bool lowerCase)
    {
        var words = new List<string>();
        foreach (var token in SplitOnWhitespace(text))
            SplitOnPunctuation(lowerCase ? StripAccents(PythonLowerCase.Lower(token)) : token, words);
        return words;
    }

    /// <summary>Steps 1-3: cleaning, CJK ideographs apart, whitespace split.</summary>
    static List<string> SplitOnWhitespace(string text)
    {
        var tokens = new List<string>();
        var word = new StringBuilder();
        void End()
        {
            if (word.Length > 0) tokens.Add(word.ToString());
            word.Clear();
        }
        foreach (var r in Runes(text))
        {
            if (IsRemoved(r)) continue;
            if (Rune.IsWhiteSpace(r)) End();
            else if (IsCjkIdeograph(r.Value))
            {
                End();
                tokens.Add(r.ToString());
            }
            else Append(word, r);
        }
        End();
        return tokens;
    }

    /// <summary>Step 5; whitespace also ends a word (BERT splits its result on whitespace once more).</summary>
    static void SplitOnPunctuation(string token, List<string> words)
    {
        var word = new StringBuilder();
        foreach (var r in Runes(token))
        {
            bool punctuation = IsPunctuation(r);
            if (punctuation || Rune.IsWhiteSpace(r))
            {
                if (word.Length > 0) words.Add(word.ToString());
                word.Clear();
                if (punctuation) words.Add(r.ToString());
            }
            else Append(word, r);
        }
        if (word.Length > 0) words.Add(word.ToString());
    }

    /// <summary>NFD, then the non-spacing marks dropped. .NET's NFD rejects the noncharacter U+FFFE, which has no
    /// decomposition and combines with nothing: the text around it is decomposed instead.</summary>
    static string StripAccents(string token)
    {
        if (Ascii.IsValid(token)) return token;
        var decomposed = string.Join('\uFFFE', token.Split('\uFFFE').Select(part => part.Normalize(NormalizationForm.FormD)));
        var kept = new StringBuilder(decomposed.Length);
        foreach (var r in Runes(decomposed))
            if (Rune.GetUnicodeCategory(r) != UnicodeCategory.NonSpacingMark) Append(kept, r);
        return kept.ToString();
    }

    static bool IsRemoved(Rune r) => r.Value is 0 or 0xFFFD
        || (Rune.GetUnicodeCategory(r) is UnicodeCategory.Control or UnicodeCategory.Format && r.Value is not ('\t' or '\n' or '\r'));

    /// <summary>ASCII's non-alphanumeric printable characters (33-47, 58-64, 91-96, 123-126: $ + &lt; = &gt; ^ ` | ~ as
    /// well) and every Unicode punctuation category (P*).</summary>
    public static bool IsPunctuation(Rune r) => r.Value is >= 33 and <= 47 or >= 58 and <= 64 or >= 91 and <= 96 or >= 123 and <= 126
        || Rune.GetUnicodeCategory(r) is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation
            or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
            or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;

    /// <summary>BERT's "Chinese characters": the CJK Unified Ideographs block, its extensions A to E and the compatibility
    /// ideographs (not Hiragana, Katakana or Hangul, which are written with spaces).</summary>
    public static bool IsCjkIdeograph(int cp) => cp is >= 0x4E00 and <= 0x9FFF or >= 0x3400 and <= 0x4DBF
        or >= 0x20000 and <= 0x2A6DF or >= 0x2A700 and <= 0x2B73F or >= 0x2B740 and <= 0x2B81F or >= 0x2B820 and <= 0x2CEAF
        or >= 0xF900 and <= 0xFAFF or >= 0x2F800 and <= 0x2FA1F;

    static void Append(StringBuilder sb, Rune r)
    {
        Span<char> utf16 = stackalloc char[2];
        sb.Append(utf16[..r.EncodeToUtf16(utf16)]);
    }

    /// <summary>The code points of <paramref name="s"/>, a lone surrogate read as U+FFFF.</summary>
    internal static IEnumerable<Rune> Runes(string s)
    {
        for (int i = 0; i < s.Length;)
        {
            var status = Rune.DecodeFromUtf16(s.AsSpan(i), out var r, out int used);
            yield return status == System.Buffers.OperationStatus.Done ? r : new Rune(0xFFFF);
            i += used;
        }
    }
}
