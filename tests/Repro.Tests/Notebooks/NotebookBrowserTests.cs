using System.Diagnostics;
using System.Text.RegularExpressions;
using Repro.Notebooks;
using static Repro.Tests.Notebooks.NotebookKit;

namespace Repro.Tests.Notebooks;

/// <summary>A fact that needs Chromium; skipped, with the reason shown, where it is not installed (under CI=true it runs and fails instead).</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (HeadlessChromium.Executable is null && !Requires.InCi) Skip = HeadlessChromium.MissingReason;
    }
}

internal static class HeadlessChromium
{
    public static string? Executable =>
        new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }.FirstOrDefault(File.Exists);

    public const string MissingReason = "needs Chromium (/usr/bin/chromium): on Debian, `apt-get install chromium` as root";

    /// <summary>The browser; a missing one fails the test (reached only under CI=true, where <see cref="ChromiumFactAttribute"/> does not skip).</summary>
    public static string Required
    {
        get
        {
            Requires.InstallableTool(Executable is not null, MissingReason);
            return Executable!;
        }
    }

    /// <summary>The DOM of a local page after its scripts ran (virtual time, so timers complete without waiting).</summary>
    public static string DumpDom(string htmlPath, int virtualTimeMs = 10_000)
    {
        var psi = new ProcessStartInfo(Required)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "--headless", "--no-sandbox", "--disable-gpu", $"--virtual-time-budget={virtualTimeMs}", "--dump-dom", new Uri(htmlPath).AbsoluteUri })
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var dom = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(120_000)) { p.Kill(true); throw new TimeoutException("chromium did not finish"); }
        Assert.True(dom.Length > 0, "chromium gave no DOM: " + stderr.Result);
        return dom;
    }

    /// <summary>Charts plotly.js has drawn (one scatter layer each).</summary>
    public static int DrawnCharts(string dom) => Regex.Matches(dom, "class=\"scatterlayer").Count;
}

[Collection(NotebookCollection.Name)]
public class NotebookBrowserTests
{
    [ChromiumFact]
    public async Task ChartsDrawWhenAllOutputsShareOneDocumentInAnyOrderAndInTheReport()
    {
        var dir = TestPaths.TempDir("nbbrowser");
        var chart = LineChart("new double[] { 1, 2, 3 }", "new double[] { 3, 1, 4 }");
        var path = Write(dir, "charts.ipynb",
            Code("#r \"nuget: Plotly.NET\""), Code(chart), Md("between"), Code(chart), Code($"display({chart});"));
        var r = await NotebookRunner.RunAsync(path, new RunOptions { OutputDirectory = Path.Combine(dir, "out") });
        Assert.True(r.Succeeded, Describe(r));
        var outputs = r.Cells.SelectMany(c => c.Outputs).OfType<DisplayDataOutput>().Select(o => o.Data[MimeBundle.Html]!).ToList();
        Assert.Equal(3, outputs.Count);

        // One document (as VS Code's notebook webview), later charts first: their scripts run before plotly.js exists.
        var reversed = Path.Combine(dir, "reversed.html");
        File.WriteAllText(reversed, "<!DOCTYPE html><html><body>" +
            string.Join("\n", Enumerable.Reverse(outputs).Select(h => $"<div class=\"output\">{h}</div>")) + "</body></html>");
        Assert.Equal(3, HeadlessChromium.DrawnCharts(HeadlessChromium.DumpDom(reversed)));

        // A later chart alone (a viewer isolating outputs) says what is missing instead of failing silently.
        var isolated = Path.Combine(dir, "isolated.html");
        File.WriteAllText(isolated, $"<!DOCTYPE html><html><body>{outputs[1]}</body></html>");
        var dom = HeadlessChromium.DumpDom(isolated, 40_000);
        Assert.Equal(0, HeadlessChromium.DrawnCharts(dom));
        Assert.Contains("This chart needs plotly.js", Regex.Replace(dom, "<script[\\s\\S]*?</script>", ""));

        // The report of two notebooks: every chart drawn, the library once.
        var r2 = await NotebookRunner.RunAsync(path, new RunOptions { OutputDirectory = Path.Combine(dir, "out"), OutputFileName = "charts-again.ipynb" });
        var report = Path.Combine(dir, "report.html");
        File.WriteAllText(report, NotebookReport.Build([r.OutputPath!, r2.OutputPath!]));
        Assert.Equal(6, HeadlessChromium.DrawnCharts(HeadlessChromium.DumpDom(report)));
    }
}
