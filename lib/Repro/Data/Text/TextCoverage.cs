namespace Repro.Data.Text;

/// <summary>
/// What a model reads of a set of texts at one text length: how many texts lose words to [UNK] (a word with no match in
/// the vocabulary, or longer than the word limit) and how many lose word pieces to truncation (more than L-2 pieces).
/// </summary>
public sealed class TextCoverage(WordPiece tokenizer, int textLength)
{
    readonly int _length = textLength >= 2 ? textLength
        : throw new ArgumentOutOfRangeException(nameof(textLength), textLength, "Text length must leave room for [CLS] and [SEP].");

    public int TextLength => _length;
    public int Texts { get; private set; }
    public int WithUnknown { get; private set; }
    public int UnknownWords { get; private set; }
    public int Truncated { get; private set; }
    public int CutPieces { get; private set; }

    public void Add(string text)
    {
        var pieces = tokenizer.Pieces(text);
        int unknown = pieces.Count(id => id == tokenizer.UnkId), cut = Math.Max(0, pieces.Count - (_length - 2));
        Texts++;
        if (unknown > 0) WithUnknown++;
        UnknownWords += unknown;
        if (cut > 0) Truncated++;
        CutPieces += cut;
    }

    public override string ToString() =>
        $"{WithUnknown} of {Texts} lose words to [UNK] ({UnknownWords} words in all); {Truncated} lose word pieces to truncation at {_length} ids ({CutPieces} pieces in all)";
}
