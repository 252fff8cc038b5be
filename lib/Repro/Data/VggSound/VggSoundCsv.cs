using System.Text;

namespace Repro.Data.VggSound;

/// <summary>One row of VGGSound's published list: a 10 s clip of a YouTube video, its label and split.</summary>
public sealed record VggSoundRow(string YoutubeId, int StartSeconds, string Label, string Split, int Line)
{
    /// <summary>The clip's file stem in DGL's layout: the YouTube id and the start second padded to six digits.</summary>
    public string ClipId => VggSoundCsv.ClipId(YoutubeId, StartSeconds);
}

/// <summary>
/// VGGSound's <c>vggsound.csv</c>: no header, one clip per line, <c>YouTube id,start second,label,train|test</c>; labels
/// holding commas are quoted (<c>"dog, ...</c>), as the CSV format quotes them.
/// </summary>
public static class VggSoundCsv
{
    public const string FileName = "vggsound.csv";

    public static string ClipId(string youtubeId, int startSeconds) => $"{youtubeId}_{startSeconds:D6}";

    /// <summary>Reads the list; every malformed line is named (path, line, what was expected) in one error.</summary>
    public static IReadOnlyList<VggSoundRow> Read(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: VGGSound list not found (the published {FileName}: lines `YouTube id,start second,label,train|test`, e.g. ---g-f_I2yQ,1,people marching,test).", path);
        var lines = File.ReadAllLines(path);
        var rows = new List<VggSoundRow>();
        var seen = new Dictionary<string, int>();
        var bad = new BadInputs();
        for (int i = 0; i < lines.Length; i++)
        {
            var line = i == 0 ? lines[i].TrimStart('\uFEFF') : lines[i];
            if (line.Trim().Length == 0) continue;
            var where = $"{path}, line {i + 1}";
            var fields = Split(line);
            if (fields is null || fields.Count != 4)
            {
                bad.Add(new InvalidDataException($"{where}: expected 4 comma-separated fields `YouTube id,start second,label,train|test` (a label with commas in double quotes), found '{line}'."));
                continue;
            }
            var (yt, start, label, split) = (fields[0].Trim(), fields[1].Trim(), fields[2].Trim(), fields[3].Trim());
            if (yt.Length == 0) bad.Add(new InvalidDataException($"{where}: the YouTube id (field 1) is empty."));
            else if (!int.TryParse(start, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
                bad.Add(new InvalidDataException($"{where}: the start second (field 2) is '{start}'; expected a non-negative whole number."));
            else if (label.Length == 0) bad.Add(new InvalidDataException($"{where}: the label (field 3) is empty."));
            else if (split is not ("train" or "test")) bad.Add(new InvalidDataException($"{where}: the split (field 4) is '{split}'; expected train or test."));
            else
            {
                var row = new VggSoundRow(yt, seconds, label, split, i + 1);
                if (seen.TryGetValue(row.ClipId, out var first)) bad.Add(new InvalidDataException($"{where}: clip {row.ClipId} is listed twice (first on line {first})."));
                else
                {
                    seen[row.ClipId] = i + 1;
                    rows.Add(row);
                }
            }
        }
        bad.ThrowIfAny(path);
        return rows;
    }

    /// <summary>The fields of one CSV line (double quotes around a field, "" for a quote inside it); null when a quote is not closed.</summary>
    static List<string>? Split(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c != '"') field.Append(c);
                else if (i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
                else quoted = false;
            }
            else if (c == '"' && field.Length == 0) quoted = true;   // a quote opens a field only at its start, as Python's csv reads it
            else if (c == ',') { fields.Add(field.ToString()); field.Clear(); }
            else field.Append(c);
        }
        if (quoted) return null;
        fields.Add(field.ToString());
        return fields;
    }

    /// <summary>Writes rows in the published form (labels with commas or quotes quoted).</summary>
    public static string Format(IEnumerable<(string YoutubeId, int StartSeconds, string Label, string Split)> rows)
    {
        var sb = new StringBuilder();
        foreach (var (yt, start, label, split) in rows)
        {
            var l = label.Contains(',') || label.Contains('"') ? $"\"{label.Replace("\"", "\"\"")}\"" : label;
            sb.Append(yt).Append(',').Append(start.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(',').Append(l).Append(',').Append(split).Append('\n');
        }
        return sb.ToString();
    }
}
