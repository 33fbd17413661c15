using System.CommandLine;
using Gradscope.Cli.Terminal;
using Gradscope.Reports;

namespace Gradscope.Cli.Commands;

/// <summary>
/// <c>gradscope report &lt;run-or-sweep-dir&gt;</c>: the single-file HTML report, and optionally the figures as PNG
/// and SVG. A sweep folder with a plan is merged first (as <c>sweep merge</c>). With several runs, each run's report
/// and one compare page (<see cref="CompareCommand"/>).
/// </summary>
public static class ReportCommand
{
    public static Command Create()
    {
        var dirArgument = new Argument<string[]>("dir") { Description = "A run directory or a sweep folder; or several runs to compare.", Arity = ArgumentArity.OneOrMore };
        var compareOut = new Option<string>("--compare-out") { Description = "With several runs: where to write the compare page.", DefaultValueFactory = _ => "compare.html" };
        var figures = new Option<string?>("--figures") { Description = "Also save every figure as PNG and SVG into this folder. [default: none]" };
        var command = new Command("report", "Write report.html (self-contained: inline figures and CSS, works offline) for a run or sweep.");
        command.Arguments.Add(dirArgument);
        command.Options.Add(figures);
        command.Options.Add(compareOut);
        command.SetAction(result =>
        {
            var dirs = result.GetValue(dirArgument)!;
            if (dirs.Length > 1)
            {
                if (result.GetValue(figures) is not null) throw new UsageException("--figures works on one run directory.");
                var comparison = CompareCommand.Load(dirs);
                foreach (var each in comparison.Runs) Reporting.TryWrite(each);
                CompareCommand.Print(comparison);
                Output.Line($"compare page: {CompareCommand.WritePage(comparison, result.GetValue(compareOut)!)}");
                return ExitCodes.Success;
            }
            string dir = dirs[0];
            string? folder = result.GetValue(figures);
            // A planned sweep folder (sweep --sweep-dir) is merged first, so the report shows every trial finished so far.
            if (SweepPlan.Exists(dir)) Sweeps.MergeReport.MergeAndPrint(dir);
            if (folder is not null && SweepRecord.IsSweep(dir)) throw new UsageException("--figures works on a run directory; a sweep's heatmaps are in its report.");
            if (folder is null && Directory.Exists(dir) && !SweepRecord.IsSweep(dir))
            {
                Output.Line($"report: {HtmlReport.Write(RunLoading.Load(dir))}");
                return ExitCodes.Success;
            }
            if (folder is null || !Directory.Exists(dir))
            {
                Output.Line($"report: {HtmlReport.Write(dir)}");
                return ExitCodes.Success;
            }
            // A run read once, for the report and the figures.
            var run = RunLoading.Load(dir);
            Output.Line($"report: {HtmlReport.Write(run)}");
            var saved = ReportFigures.SaveAll(run, folder);
            Output.Line($"figures: {saved.Count} saved as PNG and SVG in {folder}");
            return ExitCodes.Success;
        });
        return command;
    }
}
