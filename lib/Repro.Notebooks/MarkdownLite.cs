using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Repro.Notebooks;

/// <summary>
/// A minimal Markdown renderer for lesson text in the static report: ATX headings, paragraphs, fenced code blocks,
/// bullet and numbered lists, block quotes, pipe tables, horizontal rules; inline code spans, bold, italics and links.
/// Everything is HTML-encoded first (raw HTML in Markdown is shown as text); math ($...$) is left as written.
/// </summary>
public static partial class MarkdownLite
{
    public static string ToHtml(string markdown)
    {
        var lines = markdown.Replace("\r\n", "\n").Split('\n');
        var sb = new StringBuilder();
        var para = new List<string>();
        void FlushPara()
        {
            if (para.Count == 0) return;
            sb.Append("<p>").Append(Inline(string.Join(" ", para.Select(l => l.Trim())))).Append("</p>\n");
            para.Clear();
        }

        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var t = line.Trim();
            if (t.StartsWith("```", StringComparison.Ordinal) || t.StartsWith("~~~", StringComparison.Ordinal))
            {
                FlushPara();
                var fence = t[..3];
                var code = new List<string>();
                for (i++; i < lines.Length && !lines[i].Trim().StartsWith(fence, StringComparison.Ordinal); i++) code.Add(lines[i]);
                sb.Append("<pre><code>").Append(WebUtility.HtmlEncode(string.Join("\n", code))).Append("</code></pre>\n");
                continue;
            }
            if (t.Length == 0) { FlushPara(); continue; }
            if (Heading().Match(t) is { Success: true } h)
            {
                FlushPara();
                var level = h.Groups[1].Value.Length;
                sb.Append($"<h{level}>").Append(Inline(h.Groups[2].Value.TrimEnd('#', ' '))).Append($"</h{level}>\n");
                continue;
            }
            if (Rule().IsMatch(t)) { FlushPara(); sb.Append("<hr>\n"); continue; }
            if (t.StartsWith('>'))
            {
                FlushPara();
                var quote = new List<string>();
                for (; i < lines.Length && lines[i].Trim().StartsWith('>'); i++) quote.Add(lines[i].Trim()[1..].TrimStart());
                i--;
                sb.Append("<blockquote>").Append(ToHtml(string.Join("\n", quote))).Append("</blockquote>\n");
                continue;
            }
            if (Bullet().IsMatch(line) || Numbered().IsMatch(line))
            {
                FlushPara();
                var ordered = Numbered().IsMatch(line);
                sb.Append(ordered ? "<ol>\n" : "<ul>\n");
                for (; i < lines.Length; i++)
                {
                    var m = ordered ? Numbered().Match(lines[i]) : Bullet().Match(lines[i]);
                    if (m.Success) sb.Append("<li>").Append(Inline(m.Groups["text"].Value.Trim())).Append("</li>\n");
                    else if (lines[i].Trim().Length > 0 && char.IsWhiteSpace(lines[i][0]) && sb.ToString().EndsWith("</li>\n", StringComparison.Ordinal))
                    {
                        sb.Length -= "</li>\n".Length; // a continuation line of the item
                        sb.Append(' ').Append(Inline(lines[i].Trim())).Append("</li>\n");
                    }
                    else break;
                }
                i--;
                sb.Append(ordered ? "</ol>\n" : "</ul>\n");
                continue;
            }
            if (t.StartsWith('|') && i + 1 < lines.Length && TableRule().IsMatch(lines[i + 1].Trim()))
            {
                FlushPara();
                sb.Append("<table>\n<thead><tr>");
                foreach (var c in Cells(t)) sb.Append("<th>").Append(Inline(c)).Append("</th>");
                sb.Append("</tr></thead>\n<tbody>\n");
                for (i += 2; i < lines.Length && lines[i].Trim().StartsWith('|'); i++)
                {
                    sb.Append("<tr>");
                    foreach (var c in Cells(lines[i].Trim())) sb.Append("<td>").Append(Inline(c)).Append("</td>");
                    sb.Append("</tr>\n");
                }
                i--;
                sb.Append("</tbody>\n</table>\n");
                continue;
            }
            para.Add(line);
        }
        FlushPara();
        return sb.ToString();
    }

    static IEnumerable<string> Cells(string row) => row.Trim().Trim('|').Split('|').Select(c => c.Trim());

    /// <summary>Inline Markdown: code spans (content kept literally), bold, italics, links.</summary>
    public static string Inline(string text)
    {
        var sb = new StringBuilder();
        var parts = CodeSpan().Split(text); // odd indices are code span contents
        for (var k = 0; k < parts.Length; k++)
        {
            if (k % 2 == 1) { sb.Append("<code>").Append(WebUtility.HtmlEncode(parts[k])).Append("</code>"); continue; }
            var s = WebUtility.HtmlEncode(parts[k]);
            s = Link().Replace(s, m =>
            {
                var url = m.Groups["url"].Value;
                var safe = url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ||
                           url.StartsWith('#') || !url.Contains(':');
                return safe ? $"<a href=\"{url}\">{m.Groups["text"].Value}</a>" : m.Value;
            });
            s = Bold().Replace(s, "<strong>$1$2</strong>");
            s = Italic().Replace(s, "<em>$1$2</em>");
            sb.Append(s);
        }
        return sb.ToString();
    }

    [GeneratedRegex(@"^(#{1,6})\s+(.*)$")] private static partial Regex Heading();
    [GeneratedRegex(@"^(\*\s*\*\s*\*[\s*]*|-\s*-\s*-[\s-]*|_\s*_\s*_[\s_]*)$")] private static partial Regex Rule();
    [GeneratedRegex(@"^\s{0,3}[-*+]\s+(?<text>.*)$")] private static partial Regex Bullet();
    [GeneratedRegex(@"^\s{0,3}\d+[.)]\s+(?<text>.*)$")] private static partial Regex Numbered();
    [GeneratedRegex(@"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$")] private static partial Regex TableRule();
    [GeneratedRegex(@"`([^`]+)`")] private static partial Regex CodeSpan();
    [GeneratedRegex(@"\[(?<text>[^\]]+)\]\((?<url>[^)\s]+)\)")] private static partial Regex Link();
    [GeneratedRegex(@"\*\*([^*]+)\*\*|__([^_]+)__")] private static partial Regex Bold();
    [GeneratedRegex(@"(?<![\w*])\*([^*\s][^*]*)\*(?![\w*])|(?<![\w_])_([^_\s][^_]*)_(?![\w_])")] private static partial Regex Italic();
}
