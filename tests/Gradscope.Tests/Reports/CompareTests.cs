using Gradscope.Reports;
using Gradscope.Tests.Cli;

namespace Gradscope.Tests.Reports;

/// <summary><c>gradscope compare</c>: runs side by side, every number as each run's RunView reads it.</summary>
[Collection(ReportsCollection.Name)]
public sealed class CompareTests(SampleRuns runs)
{
    [Fact]
    public void Comparison_SigmoidAgainstRelu_ShowsWhatDiffersAndEachRunsOwnSpeeds()
    {
        var a = RunRecord.Load(runs.Full);
        var b = RunRecord.Load(runs.Relu);
        var c = new RunComparison([a, b]);
        var differing = c.Differences.Select(d => d.Name).ToList();
        Assert.Contains("activation", differing);
        Assert.DoesNotContain("optimizer", differing); // both plain SGD: not a difference
        Assert.Equal(["sigmoid", "relu"], c.Differences.First(d => d.Name == "activation").Values.Select(v => v.Split(',')[0]));
        for (int l = 1; l <= c.Depth; l++)
        {
            Assert.Equal(new RunView(a).Speed(l, atEnd: true), c.Speed(0, l).AtEnd);
            Assert.Equal(new RunView(b).Speed(l, atEnd: false), c.Speed(1, l).AtInit);
        }
        string html = ComparePage.Html(c);
        Assert.Contains(Numbers.Short(new RunView(b).Speed(1, atEnd: true)), html, StringComparison.Ordinal);
        Assert.Contains(new RunView(a).Ratio(atEnd: true).ToString(), html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Comparison_OfOneRun_IsRefused() =>
        Assert.Throws<ArgumentException>(() => new RunComparison([RunRecord.Load(runs.Full)]));

    [Fact]
    public void CompareCommand_TwoRuns_PrintsTablesAndWritesThePage()
    {
        string page = Path.Combine(runs.Root, "compare-cli.html");
        var result = CliRunner.Run(runs.Root, "compare", runs.Full, runs.Relu, "--html", page);
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("settings that differ", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("speed of learning", result.Stdout, StringComparison.Ordinal);
        Assert.Contains(new RunView(RunRecord.Load(runs.Relu)).Ratio(atEnd: true).ToString(), result.Stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(page));
        Assert.Equal(2, CliRunner.Run(runs.Root, "compare", runs.Full).ExitCode);
    }
}
