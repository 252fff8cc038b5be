using Microsoft.ML.Tokenizers;

namespace Repro.Data.Text;

/// <summary>
/// BERT WordPiece tokenisation from a vocab.txt (one token per line; bert-base-uncased's for real data, a small one
/// for the stand-ins) through Microsoft.ML.Tokenizers' BertTokenizer (lower-casing, basic tokenisation, accent
/// stripping as BERT's uncased tokenizer). <see cref="Encode"/> gives what HuggingFace's
/// <c>tokenizer(text, max_length=L, truncation=True, padding="max_length")</c> gives: [CLS] up to L-2 word pieces [SEP],
/// then [PAD] (id 0 in BERT's vocab) to length L; the empty string gives [CLS][SEP] (MAP's substitute for missing text).
/// </summary>
public sealed class WordPiece
{
    readonly BertTokenizer _tokenizer;

    public WordPiece(string vocabPath, bool lowerCase = true)
    {
        if (!File.Exists(vocabPath))
            throw new FileNotFoundException($"{vocabPath}: WordPiece vocabulary not found (expected a BERT vocab.txt, one token per line, e.g. bert-base-uncased's).", vocabPath);
        VocabPath = vocabPath;
        var lines = File.ReadAllLines(vocabPath);
        foreach (var special in new[] { "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]" })
            if (!lines.Contains(special))
                throw new InvalidDataException($"{vocabPath}: vocabulary lacks the special token {special} (a BERT vocab.txt has [PAD] [UNK] [CLS] [SEP] [MASK]).");
        VocabSize = lines.Length;
        _tokenizer = BertTokenizer.Create(vocabPath, new BertOptions { LowerCaseBeforeTokenization = lowerCase });
    }

    public string VocabPath { get; }
    public int VocabSize { get; }
    public int PadId => _tokenizer.PaddingTokenId;
    public int ClsId => _tokenizer.ClassificationTokenId;
    public int SepId => _tokenizer.SeparatorTokenId;

    /// <summary>Word-piece ids of <paramref name="text"/> without special tokens.</summary>
    public IReadOnlyList<int> Pieces(string text) => _tokenizer.EncodeToIds(text, addSpecialTokens: false);

    /// <summary>[CLS] pieces [SEP] [PAD]..., exactly <paramref name="maxLength"/> ids (truncating the pieces).</summary>
    public long[] Encode(string text, int maxLength)
    {
        if (maxLength < 2) throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, "Text length must leave room for [CLS] and [SEP].");
        var ids = new long[maxLength];
        if (PadId != 0) Array.Fill(ids, PadId);
        var pieces = Pieces(text ?? "");
        int n = Math.Min(pieces.Count, maxLength - 2);
        ids[0] = ClsId;
        for (int i = 0; i < n; i++) ids[1 + i] = pieces[i];
        ids[1 + n] = SepId;
        return ids;
    }

    /// <summary>Writes a BERT-format vocab.txt: the five special tokens at BERT's positions, then the given tokens.</summary>
    public static void WriteVocab(string path, IEnumerable<string> tokens)
    {
        var lines = new List<string> { "[PAD]" };
        for (int i = 1; i < 100; i++) lines.Add($"[unused{i - 1}]");
        lines.AddRange(["[UNK]", "[CLS]", "[SEP]", "[MASK]"]);
        lines.AddRange(tokens.Distinct().Where(t => !lines.Contains(t)));
        AtomicFile.WriteAllText(path, string.Join("\n", lines) + "\n");
    }
}
