using System.Text.Json;
using System.Text.RegularExpressions;
using Gradscope.Reports;

namespace Gradscope.Tests.Reports;

[Collection(ReportsCollection.Name)]
public sealed partial class HtmlReportTests(SampleRuns runs)
{
    [Fact]
    public void Write_FullRun_WritesSelfContainedReportWithEveryFigure()
    {
        string path = HtmlReport.Write(runs.Full);
        Assert.Equal(Path.Combine(runs.Full, "report.html"), path);
        string html = File.ReadAllText(path);
        Assert.Equal(10, Regex.Matches(html, "<img ").Count);
        Assert.Contains("sigmoid-deep", html);
        Assert.Contains("Speed of learning, first hidden ÷ last hidden layer:", html);
        Assert.Contains("data-rendered=\"report\"", html);
        AssertSelfContained(html);
        Assert.Empty(Directory.GetFiles(runs.Full, "*.tmp"));
    }

    [Fact]
    public void Write_RunNameWithMarkup_IsHtmlEncodedEverywhere()
    {
        string dir = runs.Copy(runs.Minimal, "hostile");
        string infoPath = Path.Combine(dir, "run.json");
        var info = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(File.ReadAllText(infoPath))!;
        var patched = info.ToDictionary(kv => kv.Key, kv => (object)kv.Value);
        patched["name"] = "<script>alert(1)</script>";
        patched["status"] = "failed";
        patched["failure"] = "loss went <b>NaN</b> & \"stayed\"";
        File.WriteAllText(infoPath, JsonSerializer.Serialize(patched));
        File.WriteAllText(Path.Combine(dir, "findings.json"), """
            [{ "severity": "critical", "title": "<img src=x onerror=alert(2)>", "evidence": "ratio < 1e-3",
               "explanation": "a & b", "remedies": ["use <relu>"] }]
            """);

        string html = File.ReadAllText(HtmlReport.Write(dir));

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b>NaN", html);
        Assert.DoesNotContain("<img src=x", html);
        Assert.DoesNotContain("<relu>", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
        Assert.Contains("loss went &lt;b&gt;NaN&lt;/b&gt; &amp; &quot;stayed&quot;", html);
        Assert.Contains("This run failed", html);
        Assert.Contains("use &lt;relu&gt;", html);
        AssertSelfContained(html);
    }

    [Fact]
    public void Write_NoFindingsFile_SaysNoDiagnosisRecorded()
    {
        string html = File.ReadAllText(HtmlReport.Write(runs.Copy(runs.Minimal, "plain")));
        Assert.Contains("No diagnosis recorded", html);
        Assert.DoesNotContain("weight-grad-histograms", html); // minimal probes: the figure is skipped
    }

    [Fact]
    public void Write_Findings_RendersEachWithRemedies()
    {
        string dir = runs.Copy(runs.Minimal, "diagnosed");
        File.WriteAllText(Path.Combine(dir, "findings.json"), """
            [{ "severity": "warning", "title": "Vanishing gradients", "evidence": "speed ratio 1/40 at init",
               "explanation": "sigmoid σ' ≤ 1/4", "remedies": ["relu", "xavier init"] },
             { "severity": "info", "title": "Cost still falling", "evidence": "", "explanation": "", "remedies": [] }]
            """);
        string html = File.ReadAllText(HtmlReport.Write(dir));
        Assert.Contains("Vanishing gradients", html);
        Assert.Contains("<li>xavier init</li>", html);
        Assert.Contains("Cost still falling", html);
        Assert.Contains("2 from the diagnosis", html);
    }

    [Fact]
    public void Write_SweepDirectory_ShowsHeatmapsAndConfigTable()
    {
        string html = File.ReadAllText(HtmlReport.Write(runs.Sweep));
        Assert.Equal(2, Regex.Matches(html, "<img ").Count);
        Assert.Contains("activation × eta", html);
        foreach (string dir in new[] { "sigmoid-eta0.1", "sigmoid-eta1.0", "tanh-eta0.1", "tanh-eta1.0" }) Assert.Contains(dir, html);
        AssertSelfContained(html);
    }

    [Fact]
    public void Write_FailedRun_ShowsFailureProminentlyAndStillDrawsFigures()
    {
        var run = RunRecord.Load(runs.Failed);
        Assert.Equal(RunStatus.Failed, run.Info.Status);
        string html = File.ReadAllText(HtmlReport.Write(runs.Failed));
        Assert.Contains("<header class=\"hero failed\">", html);
        Assert.Contains("This run failed", html);
        Assert.Contains(HtmlPageText(run.Info.Failure!), html);
        Assert.True(Regex.Matches(html, "<img ").Count >= 3);
        foreach (var figure in ReportFigures.SaveAll(run, Path.Combine(runs.Root, "figures-failed")))
        {
            using var bitmap = SkiaSharp.SKBitmap.Decode(figure.PngPath);
            Assert.True(FiguresTests.InkFraction(bitmap) > 0.01, $"{figure.Name}.png is blank");
        }
    }

    [Fact]
    public void Write_RunCutOffMidLine_ReportsItAsNotFinished()
    {
        string dir = runs.Copy(runs.Full, "cut");
        string metrics = Path.Combine(dir, "metrics.jsonl");
        string text = File.ReadAllText(metrics);
        File.WriteAllText(metrics, text[..(text.Length / 2)]); // a killed process leaves half a line
        string info = Path.Combine(dir, "run.json");
        File.WriteAllText(info, File.ReadAllText(info).Replace("\"complete\"", "\"running\""));
        string html = File.ReadAllText(HtmlReport.Write(dir));
        Assert.Contains("had not finished", html);
        Assert.Contains("Speed of learning by layer", html);
    }

    [Fact]
    public void Write_RunWithoutProbes_ReportsWithoutSpeedFigures()
    {
        string dir = Path.Combine(runs.Root, "no-probes");
        var spec = SampleRuns.Spec("no-probes", "none", epochs: 1);
        Gradscope.Experiments.ExperimentRunner.Run(spec, Support.TestNets.Separable<float>(100, 20, 1), null, dir);
        string html = File.ReadAllText(HtmlReport.Write(dir));
        Assert.Contains("No speed-of-learning measurements", html);
        Assert.DoesNotContain("data-figure=\"speed-by-layer\"", html);
        Assert.Contains("data-figure=\"cost\"", html);
    }

    private static string HtmlPageText(string text) => System.Text.Encodings.Web.HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All).Encode(text);

    [Fact]
    public void Write_NotARunDirectory_ThrowsNamingIt()
    {
        string empty = Path.Combine(runs.Root, "empty");
        Directory.CreateDirectory(empty);
        var e = Assert.Throws<InvalidDataException>(() => HtmlReport.Write(empty));
        Assert.Contains("empty", e.Message);
        Assert.Throws<DirectoryNotFoundException>(() => HtmlReport.Write(Path.Combine(runs.Root, "nope")));
    }

    internal static void AssertSelfContained(string html)
    {
        Assert.DoesNotMatch(RemoteReference(), html);
        Assert.DoesNotMatch(ScriptTag(), html);
        Assert.DoesNotContain("@import", html);
        Assert.DoesNotMatch(CssUrl(), html);
        foreach (Match m in SvgDataUri().Matches(html))
        {
            string svg = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(m.Groups[1].Value));
            Assert.DoesNotMatch(RemoteReference(), svg);
            Assert.DoesNotMatch(ScriptTag(), svg);
        }
    }

    [GeneratedRegex("data:image/svg\\+xml;base64,([A-Za-z0-9+/=]+)")]
    private static partial Regex SvgDataUri();

    [GeneratedRegex("""(src|href)\s*=\s*["']?\s*(https?:)?//""", RegexOptions.IgnoreCase)]
    private static partial Regex RemoteReference();

    [GeneratedRegex("<script", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptTag();

    [GeneratedRegex("""url\(\s*["']?(https?:)?//""", RegexOptions.IgnoreCase)]
    private static partial Regex CssUrl();
}
