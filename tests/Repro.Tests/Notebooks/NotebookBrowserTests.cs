using System.Net;
using System.Text;
using Microsoft.Playwright;
using Repro.Notebooks;
using SkiaSharp;
using Xunit.Abstractions;

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

    public static async Task<IBrowser> LaunchAsync(IPlaywright playwright) => await playwright.Chromium.LaunchAsync(new()
    {
        ExecutablePath = Required, Headless = true,
        Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
    });
}

/// <summary>
/// An executed lesson as a viewer that runs no scripts shows it (GitHub's notebook preview, nbviewer): each output by
/// the first MIME type of nbconvert's order it has, SVG as an image, scripts off. Every chart must show its static
/// image there: before the static SVG, GitHub showed a blank space for each Plotly chart.
/// </summary>
[Collection(NotebookCollection.Name)]
public class NotebookBrowserTests(ITestOutputHelper output)
{
    static readonly string[] DisplayOrder = ["text/html", "image/svg+xml", "image/png", "image/jpeg", "text/markdown", "text/plain"];

    /// <summary>The page a script-free viewer would draw: markdown and code as text, outputs by <see cref="DisplayOrder"/>.</summary>
    static string StaticPage(Notebook nb)
    {
        var sb = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body style=\"font-family:sans-serif;width:960px\">\n");
        foreach (var cell in nb.Cells)
        {
            sb.Append($"<pre>{WebUtility.HtmlEncode(cell.Source)}</pre>\n");
            foreach (var o in cell.Outputs)
            {
                if (o is StreamOutput s) sb.Append($"<pre>{WebUtility.HtmlEncode(s.Text)}</pre>\n");
                if (o is not DisplayDataOutput d) continue;
                var mime = DisplayOrder.FirstOrDefault(d.Data.Contains);
                sb.Append(mime switch
                {
                    "text/html" => d.Data[mime],
                    "image/svg+xml" => $"<img class=\"chart\" src=\"data:image/svg+xml;base64,{Convert.ToBase64String(Encoding.UTF8.GetBytes(d.Data[mime]!))}\">",
                    "image/png" or "image/jpeg" => $"<img src=\"data:{mime};base64,{d.Data[mime]}\">",
                    null => "<p>(nothing this viewer can show)</p>",
                    _ => $"<pre>{WebUtility.HtmlEncode(d.Data[mime])}</pre>",
                }).Append('\n');
            }
        }
        return sb.Append("</body></html>\n").ToString();
    }

    /// <summary>The share of pixels that are not background (near-white), and how many distinct colours there are.</summary>
    static (double Ink, int Colours) Inspect(byte[] png)
    {
        using var bmp = SKBitmap.Decode(png);
        var pixels = bmp.Pixels;
        var ink = pixels.Count(p => p.Red < 235 || p.Green < 235 || p.Blue < 235);
        return ((double)ink / pixels.Length, pixels.Select(p => (uint)p).Distinct().Count());
    }

    [ChromiumFact]
    public async Task AnExecutedLessonShowsEveryChartWithoutScripts()
    {
        var results = TestPaths.TempDir("nbstatic");
        var options = new RunOptions { OutputDirectory = Path.Combine(results, "notebooks"), Profile = "smoke", Log = new StringWriter() };
        options.Parameters["results"] = results;
        var run = await NotebookRunner.RunAsync(Path.Combine(TestPaths.RepoRoot, "notebooks", "00-setup.ipynb"), options);
        Assert.True(run.Succeeded, run.FailureMessage);
        var nb = Notebook.Load(run.OutputPath!);
        var charts = nb.Cells.SelectMany(c => c.Outputs).OfType<DisplayDataOutput>().Count(d => d.Data.Contains(Repro.Reporting.PlotlyFigure.MimeType));
        Assert.Equal(3, charts); // bars, a heatmap and an image
        var page = Path.Combine(results, "static.html");
        File.WriteAllText(page, StaticPage(nb));

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var tab = await browser.NewPageAsync(new() { JavaScriptEnabled = false, ViewportSize = new() { Width = 1000, Height = 900 } });
        await tab.GotoAsync(new Uri(page).AbsoluteUri);
        var shot = Path.Combine(results, "static.png");
        await tab.ScreenshotAsync(new() { Path = shot, FullPage = true });
        if (Environment.GetEnvironmentVariable("REPRO_TEST_SCREENSHOTS") is { Length: > 0 } keep)
            File.Copy(shot, Path.Combine(Directory.CreateDirectory(keep).FullName, "notebook-without-scripts.png"), overwrite: true);

        var images = await tab.Locator("img.chart").AllAsync();
        Assert.Equal(charts, images.Count);
        foreach (var img in images)
        {
            var box = await img.BoundingBoxAsync();
            Assert.True(box is { Width: > 300, Height: > 200 }, $"chart drawn at {box?.Width}x{box?.Height}");
            var (ink, colours) = Inspect(await img.ScreenshotAsync());
            output.WriteLine($"chart {box!.Width}x{box.Height}: {ink:P0} ink, {colours} colours");
            Assert.True(ink > 0.05, $"a chart is blank: {ink:P1} of its pixels are not background");
            Assert.True(colours > 10, $"a chart has only {colours} colours");
        }
    }
}
