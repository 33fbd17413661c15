using System.CommandLine;
using Gradscope.Cli.Terminal;
using Gradscope.Reports;

namespace Gradscope.Cli.Commands;

/// <summary><c>gradscope report &lt;run-or-sweep-dir&gt;</c>: the single-file HTML report, and optionally the figures as PNG and SVG.</summary>
public static class ReportCommand
{
    public static Command Create()
    {
        var dirArgument = new Argument<string>("dir") { Description = "A run directory or a sweep folder." };
        var figures = new Option<string?>("--figures") { Description = "Also save every figure as PNG and SVG into this folder." };
        var command = new Command("report", "Write report.html (self-contained: inline figures and CSS, works offline) for a run or sweep.");
        command.Arguments.Add(dirArgument);
        command.Options.Add(figures);
        command.SetAction(result =>
        {
            string dir = result.GetValue(dirArgument)!;
            string? folder = result.GetValue(figures);
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
