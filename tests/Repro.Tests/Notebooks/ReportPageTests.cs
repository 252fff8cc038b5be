using Microsoft.Playwright;
using Repro.Notebooks;
using Xunit.Abstractions;

namespace Repro.Tests.Notebooks;

/// <summary>
/// The page `repro report` builds from executed lessons, loaded in real headless Chromium through Playwright:
/// every chart drawn, no console or page error, and a screenshot kept for inspection.
/// </summary>
[Collection(NotebookCollection.Name)]
public class ReportPageTests(ITestOutputHelper output)
{
    [ChromiumFact]
    public async Task TheReportRendersEveryChartWithoutConsoleErrors()
    {
        var results = TestPaths.TempDir("report");
        var executed = new List<string>();
        foreach (var lesson in new[] { "00-setup.ipynb", "01-modality-laziness.ipynb" })
        {
            var options = new RunOptions { OutputDirectory = Path.Combine(results, "notebooks"), Profile = "smoke", Log = new StringWriter() };
            options.Parameters["results"] = results;
            var run = await NotebookRunner.RunAsync(Path.Combine(TestPaths.RepoRoot, "notebooks", lesson), options);
            Assert.True(run.Succeeded, run.FailureMessage);
            executed.Add(run.OutputPath!);
        }
        // DisplayDataOutput covers execute_result too (its subclass)
        int charts = executed.Sum(p => Notebook.Load(p).Cells.SelectMany(c => c.Outputs).OfType<DisplayDataOutput>()
            .Count(o => o.Data.Contains(Repro.Reporting.PlotlyFigure.MimeType)));
        var page = Path.Combine(results, "report.html");
        File.WriteAllText(page, NotebookReport.Build(executed, "Repro: executed lessons"));

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var tab = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1200, Height = 900 } });
        var errors = new List<string>();
        tab.Console += (_, m) => { if (m.Type == "error") errors.Add(m.Text); };
        tab.PageError += (_, e) => errors.Add(e);
        await tab.GotoAsync(new Uri(page).AbsoluteUri);
        await tab.WaitForFunctionAsync($"document.querySelectorAll('.main-svg').length >= {2 * charts}", null, new() { Timeout = 60_000 });
        var drawn = await tab.Locator("div.js-plotly-plot").CountAsync();
        var shot = Path.Combine(results, "report.png");
        await tab.ScreenshotAsync(new() { Path = shot, FullPage = true });
        output.WriteLine($"{charts} charts in the executed notebooks, {drawn} drawn; screenshot {shot}");

        Assert.True(charts >= 5, $"only {charts} charts in the executed lessons");
        Assert.Equal(charts, drawn);
        Assert.Empty(errors);
        Assert.True(new FileInfo(shot).Length > 10_000);
    }
}
