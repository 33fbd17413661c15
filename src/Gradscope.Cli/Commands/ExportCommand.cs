using System.CommandLine;
using Gradscope.Cli.Terminal;
using Gradscope.Runs;

namespace Gradscope.Cli.Commands;

/// <summary><c>gradscope export &lt;run&gt; --csv file</c>: the metrics in long CSV format for pandas or a spreadsheet.</summary>
public static class ExportCommand
{
    public static Command Create()
    {
        var runArgument = new Argument<string>("run") { Description = "A run directory." };
        var csv = new Option<string?>("--csv") { Description = "Output CSV file (default: <run>/metrics.csv)." };
        var command = new Command("export", "Export a run's metrics as long-format CSV (step,epoch,layer,quantity,index,bin,value).");
        command.Arguments.Add(runArgument);
        command.Options.Add(csv);
        command.SetAction(result =>
        {
            string dir = result.GetValue(runArgument)!;
            var run = RunRecord.Load(dir);
            string path = result.GetValue(csv) ?? Path.Combine(dir, "metrics.csv");
            run.ExportCsv(path);
            Output.Line($"wrote {run.Metrics.Count} records to {path}");
            return ExitCodes.Success;
        });
        return command;
    }
}
