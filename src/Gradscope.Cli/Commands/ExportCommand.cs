using System.CommandLine;
using Gradscope.Cli.Terminal;

namespace Gradscope.Cli.Commands;

/// <summary>
/// <c>gradscope export &lt;run&gt; --csv file</c>: the metrics in long CSV format for pandas or a spreadsheet;
/// <c>--layers file</c>: the per-layer table (<see cref="RunView.Rows"/>) as CSV; <c>--tensorboard folder</c>: TensorBoard
/// event files (<see cref="Record.TensorBoard.TensorBoardExport"/>), one folder per run, instead of the CSV unless --csv is given.
/// </summary>
public static class ExportCommand
{
    public static Command Create()
    {
        var runArgument = new Argument<string>("run") { Description = "A run directory." };
        var csv = new Option<string?>("--csv") { Description = "Output CSV file (default: <run>/metrics.csv)." };
        var layers = new Option<string?>("--layers") { Description = "Also write the per-layer table (speed at init and at end, typical gain, factors, saturated, dead) as CSV." };
        var tensorboard = new Option<string?>("--tensorboard") { Description = "Write TensorBoard event files into <folder>/<run name>/ (scalars per layer, cost, accuracy, histograms)." };
        var command = new Command("export", "Export a run's metrics as long-format CSV (step,epoch,layer,quantity,index,bin,value).");
        command.Arguments.Add(runArgument);
        command.Options.Add(csv);
        command.Options.Add(layers);
        command.Options.Add(tensorboard);
        command.SetAction(result =>
        {
            string dir = result.GetValue(runArgument)!;
            var run = RunRecord.Load(dir);
            string? board = result.GetValue(tensorboard);
            string? path = result.GetValue(csv) ?? (board is null ? Path.Combine(dir, "metrics.csv") : null);
            string? layersPath = result.GetValue(layers);
            if (path is not null) Check("--csv", path, dir);
            if (layersPath is not null) Check("--layers", layersPath, dir);
            if (path is not null)
            {
                run.ExportCsv(path);
                Output.Line($"wrote {run.Metrics.Count} records to {path}");
            }
            if (board is not null)
            {
                if (File.Exists(board)) throw new UsageException($"--tensorboard '{board}' is a file; give a folder.");
                Output.Line($"wrote TensorBoard events to {Record.TensorBoard.TensorBoardExport.Write(run, board)}");
            }
            if (layersPath is not null)
            {
                LayerTableCsv.Write(layersPath, new RunView(run));
                Output.Line($"wrote {run.Info.Depth} layers to {layersPath}");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static void Check(string option, string path, string dir)
    {
        string full = Path.GetFullPath(path);
        if (new[] { RunFiles.Info, RunFiles.Metrics, RunFiles.Summary, RunFiles.Report }
                .Any(f => string.Equals(full, Path.GetFullPath(Path.Combine(dir, f)), StringComparison.Ordinal)))
            throw new UsageException($"{option} '{path}' would overwrite the run's own file; choose another name.");
        if (Directory.Exists(full)) throw new UsageException($"{option} '{path}' is a folder; give a file name.");
        string? parent = Path.GetDirectoryName(full);
        if (parent is not null && !Directory.Exists(parent)) throw new UsageException($"{option} '{path}': folder '{parent}' does not exist.");
    }
}
