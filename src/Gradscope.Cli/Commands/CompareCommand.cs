using System.CommandLine;
using Gradscope.Cli.Terminal;
using Gradscope.Reports;
using Spectre.Console;

namespace Gradscope.Cli.Commands;

/// <summary>
/// <c>gradscope compare &lt;run&gt; &lt;run&gt; …</c>: runs side by side in the terminal (<see cref="RunComparison"/>):
/// settings that differ, per-layer speed of learning at init and at end, final cost and accuracy, verdicts; and
/// with <c>--html file</c> the same as a one-file page.
/// </summary>
public static class CompareCommand
{
    public static Command Create()
    {
        var runsArgument = new Argument<string[]>("runs") { Description = "Two or more run directories.", Arity = ArgumentArity.OneOrMore };
        var html = new Option<string?>("--html") { Description = "Also write the comparison as a one-file HTML page. [default: none]" };
        var command = new Command("compare", "Put runs side by side: settings that differ, speed of learning by layer at init and at end, final cost and accuracy, verdicts.");
        command.Arguments.Add(runsArgument);
        command.Options.Add(html);
        command.SetAction(result =>
        {
            var comparison = Load(result.GetValue(runsArgument)!);
            Print(comparison);
            if (result.GetValue(html) is { } path) Output.Line($"compare page: {WritePage(comparison, path)}");
            return ExitCodes.Success;
        });
        return command;
    }

    public static RunComparison Load(IReadOnlyList<string> dirs)
    {
        if (dirs.Count < 2) throw new UsageException($"compare needs at least two runs (got {dirs.Count}).");
        return new RunComparison([.. dirs.Select(RunRecord.Load)]);
    }

    public static string WritePage(RunComparison comparison, string path)
    {
        if (Directory.Exists(path)) throw new UsageException($"'{path}' is a folder; give a file name for the compare page.");
        string? parent = Path.GetDirectoryName(Path.GetFullPath(path));
        if (parent is not null && !Directory.Exists(parent)) throw new UsageException($"'{path}': folder '{parent}' does not exist.");
        return ComparePage.Write(comparison, path);
    }

    public static void Print(RunComparison c)
    {
        ArgumentNullException.ThrowIfNull(c);
        // One column per run: on a narrow terminal the last runs are left out first (the caption names them).
        FittedTable Table(string title, string first)
        {
            var table = new FittedTable(title).AddColumn(first, wrap: true);
            for (int i = 0; i < c.Names.Count; i++) table.AddColumn(c.Names[i], c.Names.Count - i, wrap: true);
            return table;
        }
        var settings = Table("settings that differ", "setting");
        foreach (var (name, values) in c.Differences) settings.AddRow([name, .. values]);
        if (c.Differences.Count == 0) settings.AddRow(["(none)", .. c.Names.Select(_ => "")]);
        AnsiConsole.Write(settings);

        var speeds = Table("speed of learning ‖∂C/∂b‖ by layer: at init → at end", "layer");
        for (int l = 1; l <= c.Depth; l++)
            speeds.AddRow([c.LayerName(l), .. Enumerable.Range(0, c.Runs.Count).Select(i => c.Speed(i, l)).Select(s => $"{Output.Sci(s.AtInit)} → {Output.Sci(s.AtEnd)}")]);
        AnsiConsole.Write(speeds);

        var results = Table("results", "");
        void Row(string label, Func<int, string> cell) => results.AddRow([label, .. Enumerable.Range(0, c.Runs.Count).Select(cell)]);
        Row("status", i => c.Runs[i].Info.Status);
        Row("final cost", i => Output.Sci(c.Views[i].FinalCost));
        Row("final accuracy", i => Output.Percent(c.Views[i].FinalAccuracy));
        Row($"{SpeedRatio.Name}, at init", i => c.Views[i].Ratio(atEnd: false).ToString());
        Row($"{SpeedRatio.Name}, at end", i => c.Views[i].Ratio(atEnd: true).ToString());
        Row("verdict", c.Verdict);
        AnsiConsole.Write(results);
    }
}
