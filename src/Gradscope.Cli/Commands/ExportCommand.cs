using System.CommandLine;
using Gradscope.Cli.Terminal;

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
            string full = Path.GetFullPath(path);
            if (new[] { RunFiles.Info, RunFiles.Metrics, RunFiles.Summary, RunFiles.Report }
                    .Any(f => string.Equals(full, Path.GetFullPath(Path.Combine(dir, f)), StringComparison.Ordinal)))
                throw new UsageException($"--csv '{path}' would overwrite the run's own file; choose another name.");
            if (Directory.Exists(full)) throw new UsageException($"--csv '{path}' is a folder; give a file name.");
            string? parent = Path.GetDirectoryName(full);
            if (parent is not null && !Directory.Exists(parent)) throw new UsageException($"--csv '{path}': folder '{parent}' does not exist.");
            run.ExportCsv(path);
            Output.Line($"wrote {run.Metrics.Count} records to {path}");
            return ExitCodes.Success;
        });
        return command;
    }
}
