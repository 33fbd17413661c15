using System.Net;
using System.Text.RegularExpressions;
using Gradscope.Reports;

namespace Gradscope.Tests.Reports;

/// <summary>The report speaks of the activations the run used: inactive ReLU units, the sigmoid's bound only for sigmoid nets.</summary>
[Collection(ReportsCollection.Name)]
public sealed class WordsReportTests(SampleRuns runs)
{
    private static string Encode(string text) => System.Text.Encodings.Web.HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All).Encode(text);

    private static string Caption(string html, string title)
    {
        var m = Regex.Match(html, $"<figcaption><h3>{Regex.Escape(Encode(title))}</h3><p>(.*?)</p></figcaption>", RegexOptions.Singleline);
        Assert.True(m.Success, $"no figure titled '{title}'");
        return WebUtility.HtmlDecode(m.Groups[1].Value);
    }

    [Fact]
    public void Write_ReluRun_SaysInactiveAndCaptionsFollowRelu()
    {
        string html = File.ReadAllText(HtmlReport.Write(runs.Copy(runs.Relu, "words-relu")));
        string sigma = Caption(html, "σ′(z) per layer");
        Assert.Contains("ReLU's σ′ is 1 where z > 0 and 0 where z < 0", sigma, StringComparison.Ordinal);
        Assert.DoesNotContain("0.25", sigma, StringComparison.Ordinal);
        Assert.DoesNotContain("sigmoid", sigma, StringComparison.Ordinal);
        string silent = Caption(html, "Inactive (z < 0) and dead units");
        Assert.Contains("inactive on that example", silent, StringComparison.Ordinal);
        Assert.DoesNotContain("saturated", silent, StringComparison.Ordinal);

        var view = new RunView(RunRecord.Load(runs.Relu));
        foreach (var row in view.Rows().Where(r => r.Layer < view.Depth))
        {
            Assert.Equal("inactive", row.SaturationKind);
            // Highlighted exactly when the doctor would speak of the layer.
            string cell = Encode(row.SaturationText);
            Assert.Contains(row.SaturationFlagged ? $"<td class=\"bad\">{cell}</td>" : $"<td>{cell}</td>", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Write_SigmoidRun_CaptionStatesTheSigmoidBound()
    {
        string html = File.ReadAllText(HtmlReport.Write(runs.Copy(runs.Full, "words-sigmoid")));
        Assert.Contains("the sigmoid's σ′ never exceeds 0.25", Caption(html, "σ′(z) per layer"), StringComparison.Ordinal);
        Assert.Contains("saturated units", Caption(html, "Saturated and dead units"), StringComparison.Ordinal);
    }
}
