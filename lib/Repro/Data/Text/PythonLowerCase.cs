using System.Globalization;
using System.Text;

namespace Repro.Data.Text;

/// <summary>
/// Lower-casing as Python 3's <c>str.lower</c>, which BERT's uncased tokenizer applies to each word: Unicode's simple
/// lower-case mapping (.NET's invariant one) with the two rules of full case mapping that .NET leaves out:
/// U+0130 (capital I with dot above) becomes i + U+0307, and a capital sigma that ends a word becomes the final ς
/// (Unicode's Final_Sigma condition: a cased letter before it and none after it, skipping case-ignorable characters).
/// </summary>
public static class PythonLowerCase
{
    public static string Lower(string word)
    {
        if (word.AsSpan().IndexOfAny('\u0130', '\u03A3') < 0) return word.ToLowerInvariant();
        var runes = BertBasicTokenizer.Runes(word).ToArray();
        var lower = new StringBuilder(word.Length);
        for (int i = 0; i < runes.Length; i++)
        {
            lower.Append(runes[i].Value switch
            {
                0x0130 => "i\u0307",
                0x03A3 => IsFinalSigma(runes, i) ? "ς" : "σ",
                _ => Rune.ToLowerInvariant(runes[i]).ToString(),
            });
        }
        return lower.ToString();
    }

    static bool IsFinalSigma(Rune[] runes, int at)
    {
        int before = at - 1;
        while (before >= 0 && IsCaseIgnorable(runes[before])) before--;
        if (before < 0 || !IsCased(runes[before])) return false;
        int after = at + 1;
        while (after < runes.Length && IsCaseIgnorable(runes[after])) after++;
        return after == runes.Length || !IsCased(runes[after]);
    }

    /// <summary>Unicode's Cased property where it matters here (on characters that are not case-ignorable): the letters of
    /// categories Lu, Ll and Lt, those with a case mapping (Ⓐ, ⅰ), and Other_Lowercase/Other_Uppercase's remaining
    /// ª, º and the squared, negative circled and negative squared capitals U+1F130-1F189.</summary>
    internal static bool IsCased(Rune r) => Rune.GetUnicodeCategory(r) is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
        || Rune.ToLowerInvariant(r) != r || Rune.ToUpperInvariant(r) != r
        || r.Value is 0xAA or 0xBA or >= 0x1F130 and <= 0x1F149 or >= 0x1F150 and <= 0x1F169 or >= 0x1F170 and <= 0x1F189;

    /// <summary>Unicode's Case_Ignorable: categories Mn, Me, Cf, Lm and Sk, and the characters that may stand inside a word
    /// (Word_Break MidLetter, MidNumLet, Single_Quote: apostrophes, full stops, colons, middle dots).</summary>
    internal static bool IsCaseIgnorable(Rune r) => Rune.GetUnicodeCategory(r) is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark
            or UnicodeCategory.Format or UnicodeCategory.ModifierLetter or UnicodeCategory.ModifierSymbol
        || r.Value is 0x27 or 0x2E or 0x3A or 0xB7 or 0x387 or 0x55F or 0x5F4 or 0x2018 or 0x2019 or 0x2024 or 0x2027
            or 0xFE13 or 0xFE52 or 0xFE55 or 0xFF07 or 0xFF0E or 0xFF1A;
}
