using Microsoft.ML.Tokenizers;

namespace Repro.Data.Text;

/// <summary>
/// BERT's tokenizer (google-research/bert tokenization.py FullTokenizer, which HuggingFace's BertTokenizer reproduces)
/// over a vocab.txt (one token per line; bert-base-uncased's for real data, a small one for the stand-ins), uncased by
/// default, cased for cased vocabularies. <see cref="Encode"/> gives what HuggingFace's
/// <c>tokenizer(text, max_length=L, truncation=True, padding="max_length")</c> gives: [CLS], the word pieces (the
/// first L-2 when there are more), [SEP], then [PAD] (id 0 in BERT's vocab) to length L; the empty string gives
/// [CLS][SEP] (MAP's and U2A's substitute for a missing text).
/// <para>Text to words is <see cref="BertBasicTokenizer"/>, written by hand: Microsoft.ML.Tokenizers 2.0's BertTokenizer
/// options (LowerCaseBeforeTokenization, RemoveNonSpacingMarks, IndividuallyTokenizeCjk) come close but its normaliser
/// deletes tabs and newlines instead of splitting on them, lower-cases only Lu letters (no final sigma), recomposes (NFC)
/// after stripping accents (Hangul) and leaves U+3400 out of CJK; its pre-tokenizer (<c>\w+|\p{P}</c>) drops symbols and
/// emoji ($, +, °, 🍜), which BERT splits off or reads as [UNK], splits words at format characters (zero-width space,
/// soft hyphen), which BERT deletes, and keeps _ inside words; and it matches the lower-cased special tokens ("[cls]")
/// inside text, which BERT does not. Character properties (categories, case, NFD) come from .NET, whose Unicode tables
/// are newer than Python 3.11's (Unicode 14): on every character Python 3.11 knows, the words agree with BERT's
/// tokenizer run there, except for U+1171E, which Unicode later moved from Mn to Mc.</para>
/// <para>Words to pieces is Microsoft.ML.Tokenizers' WordPieceTokenizer: greedy longest match with "##" continuations,
/// [UNK] for a word with no match. Its length limit counts UTF-16 units, so the limit on code points (a longer word is
/// one [UNK]) is checked here.</para>
/// </summary>
public sealed class WordPiece
{
    /// <summary>HuggingFace's BertTokenizer limit on a word's characters; google-research's FullTokenizer uses 200.</summary>
    public const int DefaultMaxCharsPerWord = 100;

    readonly WordPieceTokenizer _pieces;
    readonly string[] _tokens;

    public WordPiece(string vocabPath, bool lowerCase = true, int maxCharsPerWord = DefaultMaxCharsPerWord)
    {
        if (!File.Exists(vocabPath))
            throw new FileNotFoundException($"{vocabPath}: WordPiece vocabulary not found (expected a BERT vocab.txt, one token per line, e.g. bert-base-uncased's).", vocabPath);
        VocabPath = vocabPath;
        LowerCase = lowerCase;
        MaxCharsPerWord = maxCharsPerWord;
        _tokens = File.ReadAllLines(vocabPath).Select(l => l.Trim()).ToArray(); // BERT strips every line
        var ids = ReadIds(vocabPath, _tokens);
        int Special(string token) => ids.TryGetValue(token, out int id) ? id
            : throw new InvalidDataException($"{vocabPath}: vocabulary lacks the special token {token} (a BERT vocab.txt has [PAD] [UNK] [CLS] [SEP] [MASK]).");
        (PadId, UnkId, ClsId, SepId, _) = (Special("[PAD]"), Special("[UNK]"), Special("[CLS]"), Special("[SEP]"), Special("[MASK]"));
        using var vocab = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(string.Join('\n', _tokens)));
        _pieces = WordPieceTokenizer.Create(vocab, new WordPieceOptions
        {
            UnknownToken = "[UNK]", ContinuingSubwordPrefix = "##",
            MaxInputCharsPerWord = 2 * maxCharsPerWord, // a UTF-16 bound that never binds: the code-point limit is ours
        });
    }

    public string VocabPath { get; }
    public bool LowerCase { get; }
    public int MaxCharsPerWord { get; }
    public int VocabSize => _tokens.Length;
    public int PadId { get; }
    public int UnkId { get; }
    public int ClsId { get; }
    public int SepId { get; }

    public string TokenOf(int id) => _tokens[id];

    /// <summary>Word-piece ids of <paramref name="text"/> without special tokens.</summary>
    public List<int> Pieces(string text)
    {
        var ids = new List<int>();
        foreach (var word in BertBasicTokenizer.Words(text ?? "", LowerCase))
        {
            if (word.EnumerateRunes().Count() > MaxCharsPerWord) ids.Add(UnkId);
            else ids.AddRange(_pieces.EncodeToIds(word, considerPreTokenization: false, considerNormalization: false));
        }
        return ids;
    }

    /// <summary>The word pieces of <paramref name="text"/> as strings ("creme", "##s", "[UNK]").</summary>
    public IEnumerable<string> Tokens(string text) => Pieces(text).Select(TokenOf);

    /// <summary>[CLS] pieces [SEP] [PAD]..., exactly <paramref name="maxLength"/> ids (truncating the pieces).</summary>
    public long[] Encode(string text, int maxLength) => Encode(Pieces(text), maxLength);

    /// <summary><see cref="Encode(string, int)"/> from pieces already computed.</summary>
    public long[] Encode(IReadOnlyList<int> pieces, int maxLength)
    {
        if (maxLength < 2) throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, "Text length must leave room for [CLS] and [SEP].");
        var ids = new long[maxLength];
        if (PadId != 0) Array.Fill(ids, PadId);
        int n = Math.Min(pieces.Count, maxLength - 2);
        ids[0] = ClsId;
        for (int i = 0; i < n; i++) ids[1 + i] = pieces[i];
        ids[1 + n] = SepId;
        return ids;
    }

    /// <summary>Token -> id; a token listed twice is an error naming its lines (BERT would silently keep the last).</summary>
    static Dictionary<string, int> ReadIds(string vocabPath, string[] tokens)
    {
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var twice = new List<string>();
        for (int i = 0; i < tokens.Length; i++)
            if (tokens[i].Length > 0 && !ids.TryAdd(tokens[i], i)) twice.Add($"'{tokens[i]}' on lines {ids[tokens[i]] + 1} and {i + 1}");
        if (twice.Count > 0)
            throw new InvalidDataException($"{vocabPath}: {twice.Count} token(s) listed twice (a BERT vocab.txt lists each token once, its line number being its id): {string.Join("; ", twice.Take(10))}{(twice.Count > 10 ? "; ..." : "")}.");
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
