namespace Repro.Data.Mvsa;

/// <summary>
/// MVSA-Single's <c>labelResultAll.txt</c> (docs/datasets.md#mvsa): a header line <c>ID&lt;TAB&gt;text,image</c>, then one
/// line per post, <c>&lt;id&gt;&lt;TAB&gt;&lt;text label&gt;,&lt;image label&gt;</c>, each label negative, neutral or positive. The
/// label rule of QMF's and MLA's splits: a post is kept only when its text and image labels agree, and that shared label
/// is its class. Every bad line is collected (into the caller's <see cref="BadInputs"/>), not only the first.
/// </summary>
public sealed class MvsaLabelFile
{
    public const string FileName = "labelResultAll.txt";
    public const string Header = "ID\ttext,image";

    readonly Dictionary<string, (string Text, string Image)> _posts = new(StringComparer.Ordinal);
    readonly HashSet<string> _badLines = new(StringComparer.Ordinal);

    MvsaLabelFile(string path) => Path = path;

    public string Path { get; }
    public int Count => _posts.Count;
    public IEnumerable<string> Ids => _posts.Keys;

    /// <summary>The (text, image) labels of a post, or null when the file does not list it.</summary>
    public (string Text, string Image)? Of(string id) => _posts.TryGetValue(id, out var p) ? p : null;

    /// <summary>The posts whose two labels agree, with that label (the posts QMF's split is cut from).</summary>
    public IEnumerable<(string Id, string Label)> Agreeing => _posts.Where(p => p.Value.Text == p.Value.Image).Select(p => (p.Key, p.Value.Text));

    /// <summary>
    /// Checks a split's label for a post against the rule; null when it holds or the post's own line is bad
    /// (reported once, when read), else what is wrong, naming <paramref name="where"/>, the list line that gives the label.
    /// </summary>
    public string? Check(string id, string label, string where)
    {
        if (_badLines.Contains(id)) return null;   // its line is reported already
        if (Of(id) is not { } p) return $"{where}: post {id} is not in {Path}; expected every listed post to have a line there.";
        if (p.Text != p.Image)
            return $"{where}: post {id} has text label '{p.Text}' and image label '{p.Image}' in {Path}; expected the two to agree (the split keeps only such posts).";
        if (p.Text != label) return $"{where}: field 'label' is '{label}', but {Path} gives post {id} '{p.Text}' for text and image; expected '{p.Text}'.";
        return null;
    }

    /// <summary>Reads the file; a missing file throws, every malformed line goes into <paramref name="bad"/>.</summary>
    public static MvsaLabelFile Read(string path, BadInputs bad)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: MVSA-Single label file not found (expected the release's {FileName}: a line `{Header.Replace("\t", "<TAB>")}`, then `<id><TAB><text label>,<image label>` per post).", path);
        var file = new MvsaLabelFile(path);
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0 || lines[0].Trim() != Header)
            bad.Add($"{path}, line 1: header '{(lines.Length == 0 ? "" : lines[0])}'; expected '{Header.Replace("\t", "<TAB>")}'.");
        for (int i = 1; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.Trim().Length == 0) continue;
            var where = $"{path}, line {i + 1}";
            var fields = line.Split('\t');
            var labels = fields.Length == 2 ? fields[1].Split(',') : [];
            if (fields.Length != 2 || labels.Length != 2 || fields[0].Trim().Length == 0)
            {
                bad.Add($"{where}: '{line}'; expected `<id><TAB><text label>,<image label>`.");
                if (fields[0].Trim().Length > 0) file._badLines.Add(fields[0].Trim());
                continue;
            }
            var (id, text, image) = (fields[0].Trim(), labels[0].Trim(), labels[1].Trim());
            bool ok = true;
            foreach (var (field, value) in new[] { ("text", text), ("image", image) })
                if (Array.IndexOf(MvsaDataset.Classes, value) < 0)
                {
                    bad.Add($"{where}: field '{field}' of post {id} is '{value}'; expected {string.Join(", ", MvsaDataset.Classes)}.");
                    ok = false;
                }
            if (!ok) { file._badLines.Add(id); continue; }
            if (!file._posts.TryAdd(id, (text, image))) bad.Add($"{where}: post {id} is listed twice; expected one line per post.");
        }
        return file;
    }
}
