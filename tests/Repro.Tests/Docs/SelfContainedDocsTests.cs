using System.Text.RegularExpressions;

namespace Repro.Tests.Docs;

/// <summary>
/// The repository explains itself (docs/README.md §4): no tracked file cites a document outside the repository, and
/// every citation of a docs/ page names a page and an anchor that exist.
/// </summary>
public class SelfContainedDocsTests
{
    /// <summary>
    /// Paths into the team's workshop next to the repository, which no user's clone has. Written so that this file's own
    /// source does not match them.
    /// </summary>
    static readonly Regex OutsidePath = new(
        @"(\.\./|/work/)shared\b|\bshared/(reference|parity|papers|frontend)\b|\.\./(reference|papers)/|\breference/method[s]/",
        RegexOptions.Compiled);

    /// <summary>The workshop's reference pages by name; inside the repository they live under docs/.</summary>
    static readonly Regex ReferencePage = new(
        @"\b(missing-modality|clarifications|datasets|official-code|platform|u2a|architecture|lesson-shape)" + @"\.md\b",
        RegexOptions.Compiled);

    /// <summary>A citation of a docs page from anywhere: "docs/", the page's path, optionally "#anchor".</summary>
    static readonly Regex DocsCitation = new(@"\bdocs/((?:[A-Za-z0-9_.-]+/)*[A-Za-z0-9_.-]+\.md)(?:#([A-Za-z0-9_-]+))?", RegexOptions.Compiled);

    /// <summary>A relative markdown link inside docs/: [text](page.md#anchor) or [text](#anchor).</summary>
    static readonly Regex MarkdownLink = new(@"\]\((?![a-z]+:)([^)#\s]*)(?:#([^)\s]+))?\)", RegexOptions.Compiled);

    static readonly Regex AnchorTag = new(@"<a\s+id=""([^""]+)""", RegexOptions.Compiled);
    static readonly Regex Heading = new(@"^#{1,6}\s+(.+?)\s*#*\s*$", RegexOptions.Compiled);

    static string Root => TestPaths.RepoRoot;

    [Fact]
    public void NoTrackedFileCitesADocumentOutsideTheRepository()
    {
        var offences = new List<string>();
        foreach (var (file, line, text) in Lines())
        {
            foreach (Match m in OutsidePath.Matches(text))
                offences.Add($"{file}:{line}: '{m.Value}' points outside the repository");
            if (file.StartsWith("docs/", StringComparison.Ordinal)) continue;   // docs/ links its own pages relatively
            foreach (Match m in ReferencePage.Matches(text))
                if (!PathTokenBefore(text, m.Index).Contains("docs/", StringComparison.Ordinal))
                    offences.Add($"{file}:{line}: '{m.Value}' is not a file of the repository; cite the docs/ page and anchor that hold the fact (docs/README.md lists the pages)");
        }
        Assert.True(offences.Count == 0,
            $"{offences.Count} citations of documents the repository does not hold (the facts are in docs/):\n" + string.Join("\n", offences));
    }

    [Fact]
    public void EveryCitedDocsPageAndAnchorExists()
    {
        var offences = new List<string>();
        var anchors = new Dictionary<string, HashSet<string>?>();
        void Check(string file, int line, string target, string? anchor, string shown)
        {
            var full = Path.GetFullPath(Path.Combine(Root, target));
            if (!anchors.TryGetValue(full, out var known)) anchors[full] = known = File.Exists(full) ? AnchorsOf(full) : null;
            if (known is null) offences.Add($"{file}:{line}: '{shown}': no such file");
            else if (anchor is not null && !known.Contains(anchor)) offences.Add($"{file}:{line}: '{shown}': no anchor '#{anchor}' in that page");
        }
        foreach (var (file, line, text) in Lines())
        {
            foreach (Match m in DocsCitation.Matches(text))
                Check(file, line, "docs/" + m.Groups[1].Value, m.Groups[2].Success ? m.Groups[2].Value : null, m.Value);
            if (!file.StartsWith("docs/", StringComparison.Ordinal) || !file.EndsWith(".md", StringComparison.Ordinal)) continue;
            foreach (Match m in MarkdownLink.Matches(text))
            {
                var target = m.Groups[1].Value;
                if (target.Length > 0 && !target.EndsWith(".md", StringComparison.Ordinal)) continue;   // folders, code files
                var relative = target.Length == 0 ? file : Path.Combine(Path.GetDirectoryName(file)!, target);
                Check(file, line, relative, m.Groups[2].Success ? m.Groups[2].Value : null, m.Value);
            }
        }
        Assert.True(offences.Count == 0, $"{offences.Count} citations of docs pages or anchors that do not exist:\n" + string.Join("\n", offences));
    }

    [Fact]
    public void TheCheckFindsAWorkshopCitationAndAcceptsTheDocsOne()
    {
        Assert.Matches(OutsidePath, "see ../" + "sha" + "red/reference/u2a" + ".md");
        var bare = "(missing-modality" + ".md §1.2)";
        Assert.DoesNotContain("docs/", PathTokenBefore(bare, ReferencePage.Match(bare).Index));
        var cited = "(docs/missing-modality" + ".md#cpm-net-mask)";
        Assert.Contains("docs/", PathTokenBefore(cited, ReferencePage.Match(cited).Index));
        Assert.Equal("12-the-cpm-net-mask", Slug("1.2 The CPM-Net mask"));
    }

    /// <summary>Every line of every tracked text file: (path, 1-based line, text).</summary>
    static IEnumerable<(string File, int Line, string Text)> Lines()
    {
        foreach (var file in TrackedFiles.List(Root))
        {
            var lines = TrackedFiles.TextLines(Root, file);
            if (lines is null) continue;
            for (int i = 0; i < lines.Length; i++) yield return (file, i + 1, lines[i]);
        }
    }

    /// <summary>The path-like run of characters that ends where a match begins (e.g. the "docs/" of a docs citation).</summary>
    static string PathTokenBefore(string text, int index)
    {
        int start = index;
        while (start > 0 && (char.IsLetterOrDigit(text[start - 1]) || text[start - 1] is '/' or '.' or '-' or '_')) start--;
        return text[start..index];
    }

    /// <summary>The anchors a markdown page defines: explicit &lt;a id&gt; tags and GitHub's heading slugs.</summary>
    static HashSet<string> AnchorsOf(string path)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(path))
        {
            foreach (Match a in AnchorTag.Matches(line)) set.Add(a.Groups[1].Value);
            if (Heading.Match(line) is { Success: true } h) set.Add(Slug(h.Groups[1].Value));
        }
        return set;
    }

    /// <summary>GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens.</summary>
    static string Slug(string heading) =>
        new string(heading.ToLowerInvariant().Where(c => char.IsLetterOrDigit(c) || c is ' ' or '-' or '_').ToArray()).Replace(' ', '-');
}
