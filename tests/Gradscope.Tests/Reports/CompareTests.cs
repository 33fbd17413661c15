using Gradscope.Reports;
using Gradscope.Tests.Cli;
using Gradscope.Tests.Data;

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

    /// <summary>
    /// <c>gradscope report a b</c> through the CLI: each run's report.html, the comparison in the terminal, and one
    /// compare page, every number as each run's RunView reads it; bad uses are one line and exit 2.
    /// </summary>
    [Fact]
    public void ReportCommand_TwoRuns_WritesEachReportAndOneComparePage()
    {
        using var temp = new TempDirectory();
        // Copies, so the reports are written into this test's folders and not into the shared sample runs.
        foreach (var (from, name) in new[] { (runs.Full, "full"), (runs.Relu, "relu") })
        {
            Directory.CreateDirectory(temp.File(name));
            foreach (string file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(temp.File(name), Path.GetFileName(file)));
            File.Delete(Path.Combine(temp.File(name), RunFiles.Report));
        }
        var result = CliRunner.Run(temp.Path, "report", "full", "relu", "--compare-out", "both.html");
        Assert.True(result.ExitCode == 0, result.Stderr + result.Stdout);
        var a = new RunView(RunRecord.Load(temp.File("full")));
        var b = new RunView(RunRecord.Load(temp.File("relu")));

        foreach (var (name, view) in new[] { ("full", a), ("relu", b) })
        {
            string report = Path.Combine(temp.File(name), RunFiles.Report);
            Assert.True(File.Exists(report), $"no report for {name}");
            Assert.Contains($"report: {Path.Combine(name, RunFiles.Report)}", result.Stdout, StringComparison.Ordinal);
            Assert.Contains($"{view.Ratio(atEnd: false)} at init, {view.Ratio(atEnd: true)} at end", File.ReadAllText(report), StringComparison.Ordinal);
        }
        Assert.Contains("settings that differ", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("compare page: ", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(temp.File("both.html"), Path.GetFullPath(result.Stdout.Split('\n').Single(l => l.StartsWith("compare page: ", StringComparison.Ordinal))["compare page: ".Length..].Trim(), temp.Path));
        string page = File.ReadAllText(temp.File("both.html"));
        Assert.Contains("<th>sigmoid-deep</th>", page, StringComparison.Ordinal);
        Assert.Contains("<th>relu-deep</th>", page, StringComparison.Ordinal);
        Assert.Contains($"<td>{a.Ratio(atEnd: true)}</td><td>{b.Ratio(atEnd: true)}</td>", page, StringComparison.Ordinal);
        for (int l = 1; l <= a.Depth; l++)
            Assert.Contains($"<td>{Numbers.Short(a.Speed(l, atEnd: false))}</td><td>{Numbers.Short(a.Speed(l, atEnd: true))}</td><td>{Numbers.Short(b.Speed(l, atEnd: false))}</td><td>{Numbers.Short(b.Speed(l, atEnd: true))}</td>",
                page, StringComparison.Ordinal);
        Assert.Contains($"<td>final accuracy</td><td>{Numbers.Percent(a.FinalAccuracy)}</td><td>{Numbers.Percent(b.FinalAccuracy)}</td>", page, StringComparison.Ordinal);

        foreach (string[] bad in new[] { new[] { "report", "full", "missing" }, ["report", "full", "relu", "--figures", "figs"], ["report", "full", "relu", "--compare-out", "full"] })
        {
            var refused = CliRunner.Run(temp.Path, bad);
            Assert.True(refused.ExitCode == 2, $"{string.Join(' ', bad)}: exit {refused.ExitCode}: {refused.Stderr}");
            Assert.Single(refused.Stderr.Trim().Split('\n'));
            Assert.DoesNotContain("   at ", refused.Stderr, StringComparison.Ordinal);
        }
    }
}
