using System.Globalization;
using System.Text.RegularExpressions;
using Gradscope.Reports;
using SkiaSharp;

namespace Gradscope.Tests.Reports;

/// <summary>The report in a real browser: loads offline with no console errors, and every figure shows.</summary>
[Collection(ReportsCollection.Name)]
public sealed partial class BrowserTests(SampleRuns runs)
{
    // Test-only instrumentation, added to a copy of the report (the report itself has no script): records for
    // every image whether it decoded and where it sits, and where the page ends.
    private const string Probe = """
        <script>
        window.addEventListener('load', () => {
          for (const img of document.images) {
            const r = img.getBoundingClientRect();
            img.setAttribute('data-probe', [img.complete && img.naturalWidth > 0 ? 1 : 0,
              Math.round(r.left + scrollX), Math.round(r.top + scrollY), Math.round(r.width), Math.round(r.height)].join(','));
          }
          document.body.setAttribute('data-bottom', Math.round(document.querySelector('footer').getBoundingClientRect().bottom + scrollY));
        });
        </script>
        """;

    [ChromiumFact]
    public void Report_InHeadlessChromium_LoadsOfflineWithoutErrorsAndRendersEveryFigure()
    {
        Assert.True(Chromium.Available, $"CI is set but Chromium is missing at {Chromium.Path}: the browser test cannot run.");
        string dir = runs.Copy(runs.Full, "browser");
        string report = HtmlReport.Write(dir);
        string html = File.ReadAllText(report);
        int figures = Regex.Matches(html, "<img ").Count;
        Assert.True(figures >= 8, $"expected the full run's figures, found {figures}");

        // One browser run both dumps the DOM and takes the screenshot, at one window size so the probed image
        // positions are those of the screenshot. The window is taller than the page: the whole report is in it.
        string probed = Path.Combine(dir, "probe.html");
        File.WriteAllText(probed, html.Replace("</body>", Probe + "</body>", StringComparison.Ordinal));
        string png = Path.Combine(dir, "report.png");
        var (code, dom, log) = Chromium.Run(probed, "--window-size=1200,12000", "--virtual-time-budget=2000", "--dump-dom", $"--screenshot={png}");
        Assert.Equal(0, code);
        Assert.Empty(Chromium.ConsoleErrors(log));
        Assert.Contains("data-rendered=\"report\"", dom);
        var probes = ProbeAttribute().Matches(dom).Select(m => m.Groups[1].Value.Split(',').Select(int.Parse).ToArray()).ToList();
        Assert.Equal(figures, probes.Count);
        Assert.All(probes, p => Assert.True(p[0] == 1 && p[3] > 300 && p[4] > 150, $"image at y={p[2]} did not decode or is too small"));
        int bottom = int.Parse(PageBottom().Match(dom).Groups[1].Value, CultureInfo.InvariantCulture);

        using var bitmap = SKBitmap.Decode(png);
        Assert.NotNull(bitmap);
        Assert.True(bottom <= bitmap.Height, $"the page ({bottom} px) is taller than the screenshot");
        foreach (var p in probes)
        {
            using var crop = new SKBitmap(p[3], p[4]);
            Assert.True(bitmap.ExtractSubset(crop, new SKRectI(p[1], p[2], p[1] + p[3], p[2] + p[4])));
            Assert.True(FiguresTests.InkFraction(crop) > 0.01, $"figure at y={p[2]} is blank in the screenshot");
        }
    }

    [ChromiumFact]
    public void ConsoleErrors_PageThatThrows_AreDetected()
    {
        // Guards the guard: the log scan above must see a real console error.
        Assert.True(Chromium.Available, $"CI is set but Chromium is missing at {Chromium.Path}.");
        string page = Path.Combine(runs.Root, "throws.html");
        File.WriteAllText(page, "<!DOCTYPE html><html><body><p>x</p><script>console.error('boom'); undefinedCall();</script></body></html>");
        var (_, _, log) = Chromium.Run(page, "--dump-dom", "--virtual-time-budget=500");
        Assert.NotEmpty(Chromium.ConsoleErrors(log));
    }

    [GeneratedRegex("""data-probe="([0-9,\-]+)""")]
    private static partial Regex ProbeAttribute();

    [GeneratedRegex("""data-bottom="([0-9]+)""")]
    private static partial Regex PageBottom();
}
