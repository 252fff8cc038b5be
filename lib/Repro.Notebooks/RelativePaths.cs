using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Repro.Notebooks;

/// <summary>
/// Rewrites absolute paths under a root folder as paths relative to it, in an executed notebook's outputs and run
/// parameters (<see cref="RunOptions.RelativeTo"/>), so copies executed in different checkouts are identical:
/// <c>/home/me/repro/results/standins/cremad</c> becomes <c>results/standins/cremad</c>, the root itself <c>.</c>.
/// </summary>
internal static class RelativePaths
{
    public static void Apply(Notebook notebook, string root)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        var under = new Regex(Regex.Escape(full + Path.DirectorySeparatorChar));
        var itself = new Regex(Regex.Escape(full) + @"(?![\w.\-])");
        string Fix(string s) => itself.Replace(under.Replace(s, ""), ".");

        foreach (var output in notebook.Cells.SelectMany(c => c.Outputs))
            switch (output)
            {
                case StreamOutput s:
                    s.Text = Fix(s.Text);
                    break;
                case ErrorOutput e:
                    e.EValue = Fix(e.EValue);
                    for (var i = 0; i < e.Traceback.Count; i++) e.Traceback[i] = Fix(e.Traceback[i]);
                    break;
                case DisplayDataOutput d:
                    foreach (var mime in d.Data.MimeTypes.Where(m => !MimeBundle.IsJsonMime(m)).ToList())
                        d.Data.SetText(mime, Fix(d.Data[mime]!));
                    break;
            }
        if (notebook.Metadata["repro"]?["parameters"] is JsonObject parameters)
            foreach (var key in parameters.Select(kv => kv.Key).ToList())
                if (parameters[key] is JsonValue v && v.TryGetValue<string>(out var text)) parameters[key] = Fix(text);
    }
}
