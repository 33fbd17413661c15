using System.Text.RegularExpressions;
using Gradscope.Cli.Terminal;
using Gradscope.Experiments;
using Gradscope.Model;
using Gradscope.Probes;
using Gradscope.Tests.Support;
using Gradscope.Training;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Gradscope.Tests.Cli;

/// <summary>
/// What reaches an 80-column terminal: tables drawn on an 80-column Spectre console fit it, leave out columns by
/// priority and say which, and never split a number; the progress bar's line never outgrows the terminal (a longer
/// one wraps, and every redraw scrolls the bar down a line).
/// </summary>
public sealed partial class TerminalWidthTests
{
    private static (IAnsiConsole Console, StringWriter Text) Console80(bool live = false)
    {
        var text = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = live ? AnsiSupport.Yes : AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = live ? InteractionSupport.Yes : InteractionSupport.No,
            Out = new AnsiConsoleOutput(text),
        });
        console.Profile.Width = 80;
        return (console, text);
    }

    /// <summary>The lines as a terminal shows them: escape sequences removed, carriage returns start a line again.</summary>
    private static List<string> Lines(string output) =>
        [.. AnsiEscape().Replace(output, "").Split('\n').SelectMany(l => l.Split('\r')).Select(l => l.TrimEnd())];

    private static RunView DeepRun()
    {
        // Five hidden layers and the standard preset: every column of the per-layer table has a value.
        var spec = new ExperimentSpec
        {
            Name = "a-deep-sigmoid-net-with-a-long-name",
            Network = new NetworkSpec { Layers = [20, 16, 16, 16, 16, 16, 2], Activation = "sigmoid" },
            Training = new TrainingOptions { Eta = 0.5, BatchSize = 10, Epochs = 1 },
            Probes = ProbeOptions.FromPreset("standard") with { ReferenceSize = 100 },
            Seed = 5,
        };
        var outcome = ExperimentRunner.Run(spec, TestNets.Separable<float>(200, 20, 3), TestNets.Separable<float>(50, 20, 4), null);
        return RunViews.Of(outcome, spec);
    }

    [Fact]
    public void LayersTable_At80Columns_FitsKeepsSpeedsWholeAndNamesWhatItLeftOut()
    {
        var view = DeepRun();
        var (console, text) = Console80();
        console.Write(RunTables.Layers(view, "a-deep-sigmoid-net-with-a-long-name"));
        var lines = Lines(text.ToString());

        Assert.All(lines, l => Assert.True(Output.Width(l) <= 80, $"{Output.Width(l)} columns: {l}"));
        // Each layer's speeds at init and at end, as the table formats them, sit whole on that layer's line.
        foreach (var row in view.Rows())
            Assert.Contains(lines, l => l.StartsWith($"│ {row.Name.Split(' ')[0]}", StringComparison.Ordinal)
                && l.Contains($" {Output.Sci(row.SpeedAtInit)} ", StringComparison.Ordinal) && l.Contains($" {Output.Sci(row.SpeedAtEnd)} ", StringComparison.Ordinal));
        // 11 columns do not fit in 80: the factors go first, and the caption says so.
        string all = string.Join(" ", lines);
        Assert.Contains("left out to fit 80 columns: ", all);
        Assert.DoesNotContain("weight factor │", all);
    }

    [Fact]
    public void LayersTable_WideTerminal_ShowsEveryColumn()
    {
        var view = DeepRun();
        var (console, text) = Console80();
        console.Profile.Width = 200;
        console.Write(RunTables.Layers(view, "run"));
        string output = text.ToString();
        foreach (string header in new[] { "units", "activation", "‖δ‖", "gain", "weight factor", "σ' factor", "saturated", "dead" })
            Assert.Contains(header, output);
        Assert.DoesNotContain("left out", output);
    }

    [Fact]
    public void FittedTable_NumbersWiderThanTheTerminal_DropsLowestPriorityAndNeverSplitsANumber()
    {
        var table = new FittedTable("numbers").AddColumn("name", wrap: true);
        for (int c = 0; c < 9; c++) table.AddColumn($"column {c}", priority: c);
        var rows = Enumerable.Range(0, 4).Select(r => new[] { $"row {r} with words" }.Concat(Enumerable.Range(0, 9).Select(c => $"{r}.{c}23456e-7")).ToArray()).ToList();
        foreach (var row in rows) table.AddRow(row);
        var (console, text) = Console80();
        console.Write(table);
        var lines = Lines(text.ToString());

        Assert.All(lines, l => Assert.True(Output.Width(l) <= 80, $"{Output.Width(l)} columns: {l}"));
        var kept = table.KeptAt(80);
        Assert.True(kept.Count < 10 && kept.Contains(0), $"kept {string.Join(",", kept)}");
        // The columns left out are the lowest-priority ones: those kept are a suffix of 1…9.
        Assert.Equal(Enumerable.Range(10 - (kept.Count - 1), kept.Count - 1), kept.Skip(1));
        foreach (var row in rows)
            foreach (int c in kept.Skip(1))
                Assert.Contains(lines, l => l.Contains($" {row[c]} ", StringComparison.Ordinal));
    }

    private static RunProgress LongProgress(string name, int epoch) =>
        new(name, epoch, 30, 1.0330, 0.8041, [3.1e-5, 2.2e-4, 1.1e-3, 4.5e-3], 19_999, 123.4);

    [Fact]
    public void ProgressLine_TestSet_SaysWhichNumberIsTrainAndWhichTest()
    {
        var p = LongProgress("run", 3);
        Assert.Contains("epoch 3/30  train cost 1.03  test accuracy 80.4%  ", ProgressReporter.Line(p));
        Assert.Contains("train cost 1.03  train accuracy 80.4%  ", ProgressReporter.Line(p with { ScoreOnTest = false }));
    }

    [Theory]
    [InlineData(200)]
    [InlineData(80)]
    [InlineData(60)]
    [InlineData(45)]
    [InlineData(10)]
    public void Describe_AnyWidth_FitsAndLeavesOutTheSpeedsFirst(int width)
    {
        var p = LongProgress("a-deep-sigmoid-net-with-a-long-name", 12);
        string text = ProgressReporter.Describe(p, width);
        Assert.True(Output.Width(text) <= width, $"{Output.Width(text)} > {width}: {text}");
        Assert.StartsWith(width >= 36 ? "a-deep-sigmoid-net-with-a-long-name" : "a-deep", text);
        if (width == 200) Assert.Contains("speed of learning at step 19999", text);
    }

    [Fact]
    public void Describe_80ColumnTerminal_KeepsTrainCostAndTestAccuracy() =>
        Assert.Equal("relu-he · train cost 1.03 · test accuracy 80.4%", ProgressReporter.Describe(LongProgress("relu-he", 12), 80 - ProgressReporter.FixedWidth));

    [Fact]
    public void ProgressBar_LongDescriptionsAt80Columns_EveryDrawnLineFits()
    {
        var (console, text) = Console80(live: true);
        var reporter = new ProgressReporter(console, live: true);
        reporter.Run(() =>
        {
            for (int epoch = 0; epoch <= 30; epoch += 10)
            {
                reporter.Report(LongProgress("a-deep-sigmoid-net-with-a-long-name", epoch));
                reporter.Report(LongProgress("relu-he", epoch));
                Thread.Sleep(120); // the bar redraws every 100 ms
            }
            return 0;
        });
        var lines = Lines(text.ToString()).Where(l => l.Length > 0).ToList();
        Assert.Contains(lines, l => l.Contains('━', StringComparison.Ordinal) && l.StartsWith("relu-he · train cost 1.03 · test accuracy 80.4%", StringComparison.Ordinal));
        Assert.All(lines, l => Assert.True(Output.Width(l) <= 80, $"{Output.Width(l)} columns: {l}"));
    }

    [GeneratedRegex(@"\x1b(\[[0-9;?]*[A-Za-z]|[=>])")]
    private static partial Regex AnsiEscape();
}
