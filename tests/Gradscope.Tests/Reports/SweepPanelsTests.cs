using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Gradscope.Tests.Cli;

namespace Gradscope.Tests.Reports;

/// <summary>
/// A sweep over three axes (depth × activation × init): the report draws every configuration — a pair of heatmaps
/// for each init — and its headline names every axis of the best one. Before, the init = he-normal runs were drawn
/// over the scaled-normal ones and the headline named two axes.
/// </summary>
public sealed partial class SweepPanelsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gradscope-sweep3-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Report_ThreeAxisSweep_DrawsEveryConfigurationAndNamesEveryAxis()
    {
        var r = CliRunner.Run(_dir, "sweep", "--depth", "1,2", "--activation", "sigmoid,relu", "--init", "scaled-normal,he-normal", "--width", "8",
            "--train-size", "300", "--test-size", "100", "--epochs", "1", "--probes", "minimal", "--out", "runs");
        Assert.True(r.ExitCode == 0, r.Stderr + r.Stdout);
        string dir = Directory.GetDirectories(Path.Combine(_dir, "runs")).Single();
        var sweep = SweepRecord.Load(dir);
        Assert.Equal(["depth", "activation", "init"], sweep.Axes);
        Assert.Equal(8, sweep.Cells.Count);

        var panels = sweep.Panels();
        Assert.Equal(["init = scaled-normal", "init = he-normal"], panels.Select(p => p.Label));
        foreach (var panel in panels)
        {
            Assert.Equal(4, panel.Cells.Count);
            Assert.All(panel.Cells, c => Assert.Equal(panel.Values["init"], c.Params["init"]));
            Assert.Equal(4, panel.Cells.Select(c => (c.Row, c.Column)).Distinct().Count());
        }

        string html = File.ReadAllText(Path.Combine(dir, "report.html"));
        // The headline: the best configuration by every axis.
        var best = sweep.Cells.MaxBy(c => new RunView(c.Run).FinalAccuracy)!;
        string verdict = Regex.Match(html, "<p class=\"verdict\">(.*?)</p>").Groups[1].Value;
        Assert.Contains($"depth = {best.Params["depth"]}, activation = {best.Params["activation"]}, init = {best.Params["init"]}", verdict);

        // Two heatmaps per init; each accuracy heatmap carries the labels of its own four runs.
        var figures = Figure().Matches(html).ToDictionary(m => m.Groups[2].Value, m => Encoding.UTF8.GetString(Convert.FromBase64String(m.Groups[1].Value)));
        Assert.Equal(4, figures.Count);
        for (int i = 0; i < panels.Count; i++)
        {
            string svg = figures[$"final-accuracy-{i + 1}"];
            foreach (var cell in panels[i].Cells)
                Assert.Contains((new RunView(cell.Run).FinalAccuracy * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%", svg);
        }
        Assert.Contains("init = he-normal", html);
        Assert.Contains("init = scaled-normal", html);
    }

    [GeneratedRegex("<img src=\"data:image/svg\\+xml;base64,([^\"]+)\"[^>]*data-figure=\"([^\"]+)\"")]
    private static partial Regex Figure();
}
