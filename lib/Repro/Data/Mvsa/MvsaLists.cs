using System.Text.Json;

namespace Repro.Data.Mvsa;

/// <summary>One post a split list names: its id, label, text (null where the list carries none), image path relative to the root, and the list line.</summary>
public sealed record MvsaPost(string Id, string Label, string? Text, string Image, string Where);

/// <summary>
/// The split lists of MVSA-Single's two protocols (docs/datasets.md#mvsa). QMF: <c>{train,dev,test}.jsonl</c>, one JSON
/// object per line with string fields id, label, text and img (<c>data/&lt;id&gt;.jpg</c>, relative to the root). MLA:
/// <c>my_{train,test}_mvsa.txt</c>, one <c>&lt;id&gt;.jpg &lt;label&gt;</c> per line (the official gen_mvsa_txt.py output).
/// Every malformed line is collected into the caller's <see cref="BadInputs"/>; a missing list throws.
/// </summary>
public static class MvsaLists
{
    public static string QmfList(string split) => $"{split}.jsonl";
    public static string MlaList(string split) => $"my_{split}_mvsa.txt";
    public static readonly string[] QmfSplits = ["train", "dev", "test"];

    public static List<MvsaPost> ReadJsonl(string path, BadInputs bad)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: MVSA-Single split list not found (expected QMF's JSON lines {{\"id\", \"label\", \"text\", \"img\"}}, from QingyangZhang/QMF text-image-classification/datasets/MVSA_Single/).", path);
        var posts = new List<MvsaPost>();
        var lines = File.ReadAllLines(path);
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim().Length == 0) continue;
            var where = $"{path}, line {i + 1}";
            try
            {
                using var doc = JsonDocument.Parse(lines[i]);
                var o = doc.RootElement;
                if (o.ValueKind != JsonValueKind.Object) { bad.Add($"{where}: not a JSON object; expected {{\"id\", \"label\", \"text\", \"img\"}}."); continue; }
                string? Field(string name)
                {
                    if (o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String) return v.GetString();
                    bad.Add($"{where}: field '{name}' missing or not a string; expected {{\"id\", \"label\", \"text\", \"img\"}}, all strings.");
                    return null;
                }
                string? id = Field("id"), label = Field("label"), text = Field("text"), img = Field("img");
                if (id is null || label is null || text is null || img is null) continue;
                posts.Add(new MvsaPost(id, label, text, img, where));
            }
            catch (JsonException e) { bad.Add($"{where}: not valid JSON ({e.Message}); expected {{\"id\", \"label\", \"text\", \"img\"}}."); }
        }
        return posts;
    }

    public static List<MvsaPost> ReadMlaList(string path, BadInputs bad)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: MLA's MVSA list not found (expected lines `<id>.jpg <label>`, the official repository's data/{System.IO.Path.GetFileName(path)}).", path);
        var posts = new List<MvsaPost>();
        var lines = File.ReadAllLines(path);
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0) continue;
            var where = $"{path}, line {i + 1}";
            // the official loader splits on ".jpg ": the id before, the label after
            int at = line.IndexOf(".jpg ", StringComparison.Ordinal);
            if (at <= 0 || line[(at + 5)..].Trim().Length == 0) { bad.Add($"{where}: '{line}'; expected `<id>.jpg <label>`."); continue; }
            var id = line[..at];
            posts.Add(new MvsaPost(id, line[(at + 5)..].Trim(), null, $"data/{id}.jpg", where));
        }
        return posts;
    }
}
