using Gradscope.Experiments;
using Gradscope.Server;
using Gradscope.Tests.Reports;
using Gradscope.Tests.Support;
using PuppeteerSharp;
using SkiaSharp;

namespace Gradscope.Tests.Server;

/// <summary>
/// The dashboard in a real browser (PuppeteerSharp driving Debian's chromium): the list shows the runs, a run training
/// in the background gains points on its chart while its page is open, the compare view overlays two runs, no console
/// errors, and every screenshot has ink on it.
/// </summary>
[Collection(ReportsCollection.Name)]
public sealed class DashboardBrowserTests(SampleRuns runs)
{
    [ChromiumFact]
    public async Task Dashboard_InChromium_ListsRunsFollowsALiveRunAndComparesTwo()
    {
        Assert.True(Chromium.Available, $"CI is set but Chromium is missing at {Chromium.Path}: the browser test cannot run.");
        string root = Path.Combine(runs.Root, "served");
        runs.Copy(runs.Full, Path.Combine("served", "full"));
        runs.Copy(runs.Minimal, Path.Combine("served", "minimal"));

        // A run that keeps training until the test is done with it.
        using var stop = new CancellationTokenSource();
        var spec = SampleRuns.Spec("live", "standard", epochs: 100_000);
        var training = Task.Run(() => ExperimentRunner.Run(spec, TestNets.Separable<float>(400, 20, 1), null, Path.Combine(root, "live"), cancellation: stop.Token));
        try
        {
            await using var server = await DashboardServer.StartAsync(root);
            await using var browser = await Puppeteer.LaunchAsync(new LaunchOptions
            {
                Headless = true,
                ExecutablePath = Chromium.Path,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"],
            });
            await using var page = await browser.NewPageAsync();
            await page.SetViewportAsync(new ViewPortOptions { Width = 1280, Height = 1000 });
            var errors = new List<string>();
            page.Console += (_, e) => { if (e.Message.Type == ConsoleType.Error) errors.Add(e.Message.Text); };
            page.PageError += (_, e) => errors.Add(e.Message);
            var wait = new WaitForFunctionOptions { Timeout = 20_000, PollingInterval = 100 };

            await page.GoToAsync(server.Url);
            await page.WaitForFunctionAsync("() => Number(document.body.dataset.rows) >= 3", wait);
            var names = await page.EvaluateExpressionAsync<string[]>("[...document.querySelectorAll('#runs tbody tr')].map(r => r.dataset.run)");
            Assert.Equal(["full", "live", "minimal"], names.Order());
            AssertInked(await page.ScreenshotDataAsync(), "run list");

            await page.GoToAsync(server.Url + "run?id=live");
            await page.WaitForFunctionAsync("() => window.gradscope.lastStep >= 0", wait);
            long before = await page.EvaluateExpressionAsync<long>("window.gradscope.lastStep");
            await page.WaitForFunctionAsync($"() => window.gradscope.lastStep > {before} && window.gradscope.updates >= 2", wait);
            long after = await page.EvaluateExpressionAsync<long>("window.gradscope.lastStep");
            Assert.True(after > before, $"the live chart stayed at step {before}");
            AssertInked(await page.ScreenshotDataAsync(), "live run page");

            await page.GoToAsync(server.Url + "compare?ids=full,minimal");
            await page.WaitForFunctionAsync("() => document.body.dataset.compared === '2'", wait);
            // x, then a smoothed and a raw line for each of the two runs.
            Assert.Equal(5, await page.EvaluateExpressionAsync<int>("window.gradscope.charts.compare.plot.series.length"));
            AssertInked(await page.ScreenshotDataAsync(), "compare page");
            Assert.Empty(errors);
        }
        finally
        {
            await stop.CancelAsync();
            await training;
        }
    }

    private static void AssertInked(byte[] png, string what)
    {
        using var bitmap = SKBitmap.Decode(png);
        Assert.NotNull(bitmap);
        Assert.True(FiguresTests.InkFraction(bitmap) > 0.02, $"the {what} screenshot is (nearly) blank");
    }
}
