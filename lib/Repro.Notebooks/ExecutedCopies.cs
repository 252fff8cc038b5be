using System.Text.Json.Nodes;

namespace Repro.Notebooks;

/// <summary>
/// The executed copies committed beside the lessons (<c>notebooks/executed/</c>), which GitHub and any viewer show
/// without running anything. <see cref="Check"/> says whether they still match the lessons: a copy whose code cells
/// differ from its lesson's (a lesson edited without regenerating) is stale.
/// </summary>
public static class ExecutedCopies
{
    /// <summary>The folder under the lessons' folder that holds their executed copies.</summary>
    public const string FolderName = "executed";

    /// <summary>The profile the committed copies are executed under.</summary>
    public static string Profile => Repro.Experiments.Profile.Embedded.Name;

    /// <summary>
    /// Every problem with the executed copies in <paramref name="executedFolder"/> of the notebooks in
    /// <paramref name="sourceFolder"/>: a notebook without a copy, a copy without a notebook, a copy whose code cells
    /// (count, order and source, line endings aside) differ from the notebook's, a copy of a failed run, a copy run under
    /// another profile than <paramref name="profile"/>, a copy run with a parameter set to an absolute path (a path of the
    /// machine that made it, which no reader has). Empty when all is in order.
    /// </summary>
    public static IReadOnlyList<string> Check(string sourceFolder, string executedFolder, string? profile = null)
    {
        profile ??= Profile;
        var problems = new List<string>();
        var sources = Directory.GetFiles(sourceFolder, "*.ipynb").Order(StringComparer.Ordinal).ToList();
        var copies = Directory.Exists(executedFolder) ? Directory.GetFiles(executedFolder, "*.ipynb").Order(StringComparer.Ordinal).ToList() : [];
        foreach (var copy in copies.Where(c => !File.Exists(Path.Combine(sourceFolder, Path.GetFileName(c)))))
            problems.Add($"{copy}: an executed copy of a notebook that does not exist ({Path.Combine(sourceFolder, Path.GetFileName(copy))}); delete it");
        foreach (var source in sources)
        {
            var copy = Path.Combine(executedFolder, Path.GetFileName(source));
            if (!File.Exists(copy)) { problems.Add($"{source}: no executed copy ({copy})"); continue; }
            var (nb, ex) = (Notebook.Load(source), Notebook.Load(copy));
            if (Difference(nb, ex) is { } diff) problems.Add($"{copy}: stale, {diff}");
            var run = ex.Metadata["repro"] as JsonObject;
            if (run?["succeeded"] is not JsonValue ok || !ok.TryGetValue<bool>(out var succeeded) || !succeeded)
                problems.Add($"{copy}: the run it records did not succeed (metadata.repro.succeeded)");
            var ran = run?["parameters"]?["profile"] is JsonValue p && p.TryGetValue<string>(out var s) ? s : null;
            if (ran != profile) problems.Add($"{copy}: executed under profile '{ran ?? "?"}', expected '{profile}'");
            foreach (var (name, value) in run?["parameters"] as JsonObject ?? [])
                if (value is JsonValue v && v.TryGetValue<string>(out var text) && Path.IsPathRooted(text))
                    problems.Add($"{copy}: executed with {name}={text}, an absolute path; refresh it with the default (a path relative to the checkout)");
        }
        return problems;
    }

    /// <summary>Where the code cells of an executed copy first differ from the notebook's, or null when they are equal.</summary>
    public static string? Difference(Notebook notebook, Notebook executed)
    {
        var a = notebook.Cells.Where(c => c.IsCode).Select(c => Normalize(c.Source)).ToList();
        var b = executed.Cells.Where(c => c.IsCode).Select(c => Normalize(c.Source)).ToList();
        for (var i = 0; i < Math.Min(a.Count, b.Count); i++)
        {
            if (a[i] == b[i]) continue;
            var (la, lb) = (a[i].Split('\n'), b[i].Split('\n'));
            var k = Enumerable.Range(0, Math.Max(la.Length, lb.Length)).First(j => j >= la.Length || j >= lb.Length || la[j] != lb[j]);
            static string At(string[] lines, int k) => k < lines.Length ? $"\"{lines[k].Trim()}\"" : "nothing";
            return $"code cell {i + 1}, line {k + 1}: the notebook has {At(la, k)}, the copy {At(lb, k)}";
        }
        return a.Count == b.Count ? null : $"the notebook has {a.Count} code cells, the copy {b.Count}";
    }

    static string Normalize(string s) => s.Replace("\r\n", "\n").TrimEnd();
}
