using System.Text;
using System.Text.RegularExpressions;
using Repro.Data.Formats;

namespace Repro.Data.Manifests;

/// <summary>One check of <see cref="ManifestVerifier"/>: what was checked, whether it passed, and the detail (the file, the field, what was expected).</summary>
public sealed record VerifyCheck(string What, bool Ok, string Detail, bool Warning = false);

/// <summary>The outcome of verifying a root against a manifest.</summary>
public sealed class VerifyReport
{
    public List<VerifyCheck> Checks { get; } = new();
    public bool Ok => Checks.All(c => c.Ok);
    public int Failed => Checks.Count(c => !c.Ok);
    public void Add(string what, bool ok, string detail, bool warning = false) => Checks.Add(new VerifyCheck(what, ok, detail, warning));

    public string ToText()
    {
        var sb = new StringBuilder();
        foreach (var c in Checks) sb.Append(c.Ok ? (c.Warning ? "warn " : "ok   ") : "FAIL ").Append(c.What).Append(": ").AppendLine(c.Detail);
        sb.Append(Ok ? $"verified: {Checks.Count} checks passed" : $"{Failed} of {Checks.Count} checks FAILED");
        return sb.ToString();
    }
}

/// <summary>
/// Checks a dataset root against a <see cref="DatasetManifest"/>: file checksums, file counts, .npy shapes (headers only),
/// the user-supplied class list, and each split opened by the dataset's own loader (strict: a missing or unreadable
/// listed file fails), compared with the manifest's counts and per-class counts. With <c>deep</c>, every sample of every
/// split is also decoded (images, audio, features), so a corrupt file is named. With <c>allowMissing</c> (a real download
/// that lacks some listed files) absent files are counted, not failed: <c>openSplit</c> then drops them, and each split's
/// coverage is reported, in all and per class (a class that lost a third of its clips is worth knowing before training).
/// </summary>
public static class ManifestVerifier
{
    /// <param name="openSplit">Opens a split of this manifest's dataset and protocol on the root (the loader's strict mode); null skips split checks.</param>
    public static VerifyReport Verify(DatasetManifest m, string root, Func<string, IMultimodalDataset>? openSplit, bool deep = false,
        IProgress<(int Done, int Total)>? progress = null, bool allowMissing = false)
    {
        var report = new VerifyReport();
        if (!Directory.Exists(root))
        {
            report.Add("root", false, $"{root}: folder not found");
            return report;
        }
        report.Add("root", true, $"{root} ({m.Dataset}, protocol {m.Protocol})");

        if (m.Files.Count > 0)
        {
            int bad = 0, checkedFiles = 0, absent = 0;
            foreach (var (rel, sha) in m.Files)
            {
                var path = Path.Combine(root, rel);
                if (!File.Exists(path) && allowMissing) absent++;
                else if (!File.Exists(path)) { report.Add("file", false, $"{path}: listed in the manifest, not found"); bad++; }
                else
                {
                    var actual = DatasetManifest.Sha256(path);
                    if (!string.Equals(actual, sha, StringComparison.OrdinalIgnoreCase))
                    {
                        report.Add("checksum", false, $"{path}: SHA-256 {actual}, expected {sha}");
                        bad++;
                    }
                }
                checkedFiles++;
            }
            if (bad == 0) report.Add("checksums", true, $"{checkedFiles - absent} files match their SHA-256{(absent > 0 ? $"; {absent} listed in the manifest are absent (--allow-missing)" : "")}", warning: absent > 0);
        }

        foreach (var c in m.Counts)
        {
            int n = Glob(root, c.Pattern).Count();
            bool fewer = allowMissing && n < c.Count;
            report.Add("count", n == c.Count || fewer, $"{c.Pattern}: {n} files{(n == c.Count ? "" : $", expected {c.Count}")}{(fewer ? $" ({c.Count - n} absent, --allow-missing)" : "")}", warning: fewer);
        }

        foreach (var a in m.Arrays)
        {
            int n = 0, bad = 0;
            foreach (var f in Glob(root, a.Pattern))
            {
                n++;
                try
                {
                    var h = NpyFile.ReadHeader(f);
                    if (h.Shape.Length != a.Shape.Length || h.Shape.Where((d, i) => a.Shape[i] >= 0 && a.Shape[i] != d).Any())
                    {
                        if (bad++ < 5) report.Add("shape", false, $"{f}: shape {h.ShapeText}, expected ({string.Join(", ", a.Shape.Select(d => d < 0 ? "any" : d.ToString()))})");
                    }
                }
                catch (Exception e) when (e is InvalidDataException or IOException)
                {
                    if (bad++ < 5) report.Add("shape", false, e.Message);
                }
            }
            if (bad == 0) report.Add("shapes", n > 0, n > 0 ? $"{a.Pattern}: {n} arrays of shape ({string.Join(", ", a.Shape.Select(d => d < 0 ? "any" : d.ToString()))})" : $"{a.Pattern}: no files match");
            else if (bad > 5) report.Add("shape", false, $"{a.Pattern}: {bad} files of the wrong shape in all");
        }

        if (m.ClassesFile is { } cf)
        {
            var path = Path.Combine(root, cf);
            if (!File.Exists(path))
                report.Add("classes", true, $"{path}: not found; the class names are the user's to supply (one per line, in label order); labels are numbered until then", warning: true);
            else
            {
                int lines = File.ReadAllLines(path).Count(l => l.Trim().Length > 0);
                bool ok = m.ClassCount is not { } k || lines == k;
                report.Add("classes", ok, $"{path}: {lines} class names{(ok ? "" : $", expected {m.ClassCount}")}");
            }
        }

        if (openSplit is not null)
            foreach (var (name, split) in m.Splits)
            {
                IMultimodalDataset ds;
                try { ds = openSplit(name); }
                catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or UnauthorizedAccessException)
                {
                    report.Add($"split {name}", false, e.Message);
                    continue;
                }
                if (allowMissing && ds is IListsFiles lists)
                    Coverage(report, name, split, ds, lists.Coverage.Summary(name, ds.Info.ClassNames));
                else if (split.Count <= 0) report.Add($"split {name}", true, $"{split.List}: {ds.Count} samples (the manifest gives no count)", warning: true);
                else report.Add($"split {name}", ds.Count == split.Count, $"{split.List}: {ds.Count} samples{(ds.Count == split.Count ? "" : $", expected {split.Count}")}");
                if (split.ClassCounts.Length > 0 && !(allowMissing && ds is IListsFiles))
                {
                    var counts = new int[Math.Max(split.ClassCounts.Length, ds.Info.NumClasses)];
                    for (int i = 0; i < ds.Count; i++) counts[ds.LabelOf(i)]++;
                    bool ok = counts.SequenceEqual(split.ClassCounts);
                    report.Add($"split {name} classes", ok, ok ? "per-class counts match" : $"per-class counts [{string.Join(", ", counts)}], expected [{string.Join(", ", split.ClassCounts)}]");
                }
                if (deep)
                {
                    int bad = 0;
                    for (int i = 0; i < ds.Count; i++)
                    {
                        try
                        {
                            using var scope = TorchSharp.torch.NewDisposeScope();
                            ds.Get(i, SampleMode.Eval, 0);
                        }
                        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException)
                        {
                            if (bad++ < 10) report.Add($"split {name} sample {i}", false, e.Message);
                        }
                        progress?.Report((i + 1, ds.Count));
                    }
                    if (bad == 0) report.Add($"split {name} decode", true, $"all {ds.Count} samples decode");
                }
            }
        return report;
    }

    /// <summary>
    /// A split of a download that may lack files: its samples no more than the manifest's, and what of its list is present,
    /// in all and per class (a warning wherever something is missing).
    /// </summary>
    static void Coverage(VerifyReport report, string name, DatasetManifest.SplitManifest split, IMultimodalDataset ds, SplitCoverage c)
    {
        bool ok = split.Count <= 0 || ds.Count <= split.Count;
        report.Add($"split {name}", ok, $"{split.List}: {ds.Count} samples{(split.Count > 0 ? $" of the manifest's {split.Count}" : "")}" +
                                        (ok ? "" : ", more than the manifest lists"), warning: ok && ds.Count < split.Count);
        report.Add($"coverage {name}", true, $"{c.Present} of {c.Listed} listed present ({SplitCoverage.Percent(c.Fraction)}), {c.Dropped} missing", warning: c.Dropped > 0);
        foreach (var k in c.Classes)
            report.Add($"coverage {name} class {k.Class}", true, $"{k.Present} of {k.Listed} present ({SplitCoverage.Percent(k.Fraction)}){(k.Dropped > 0 ? $", lost {SplitCoverage.Percent(1 - k.Fraction)}" : "")}",
                warning: k.Dropped > 0);
    }

    /// <summary>Files under <paramref name="root"/> matching a '/'-separated pattern whose segments may hold '*' and '?'.</summary>
    public static IEnumerable<string> Glob(string root, string pattern)
    {
        var segments = pattern.Split('/', StringSplitOptions.RemoveEmptyEntries);
        IEnumerable<string> current = [root];
        for (int i = 0; i < segments.Length; i++)
        {
            var rx = new Regex("^" + Regex.Escape(segments[i]).Replace("\\*", ".*").Replace("\\?", ".") + "$");
            bool last = i == segments.Length - 1;
            current = current.SelectMany<string, string>(dir => !Directory.Exists(dir) ? [] :
                (last ? Directory.EnumerateFiles(dir) : Directory.EnumerateDirectories(dir))
                    .Where(p => rx.IsMatch(Path.GetFileName(p))).Order(StringComparer.Ordinal));
        }
        return current;
    }
}
