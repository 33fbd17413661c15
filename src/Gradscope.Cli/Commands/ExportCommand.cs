using System.CommandLine;
using Gradscope.Cli.Terminal;

namespace Gradscope.Cli.Commands;

/// <summary>
/// <c>gradscope export &lt;run&gt; --csv file</c>: the metrics in long CSV format for pandas or a spreadsheet;
/// <c>--layers file</c>: the per-layer table (<see cref="RunView.Rows"/>) as CSV; <c>--tensorboard folder</c>: TensorBoard
/// event files (<see cref="Record.TensorBoard.TensorBoardExport"/>), one folder per run, instead of the CSV unless --csv is given;
/// <c>--model file.npz</c>: the trained model's weights in PyTorch's state_dict naming (docs/model-format.md).
/// </summary>
public static class ExportCommand
{
    public static Command Create()
    {
        var runArgument = new Argument<string>("run") { Description = "A run directory." };
        var csv = new Option<string?>("--csv") { Description = "Output CSV file (- for stdout). [default: <run>/metrics.csv]" };
        var layers = new Option<string?>("--layers") { Description = "Also write the per-layer table (speed at init and at end, typical gain, factors, saturated, dead) as CSV (- for stdout). [default: none]" };
        var tensorboard = new Option<string?>("--tensorboard") { Description = "Write TensorBoard event files into <folder>/<run name>/ (scalars per layer, cost, accuracy, histograms). [default: none]" };
        var command = new Command("export", "Export a run's metrics as long-format CSV (step,epoch,layer,quantity,index,bin,value).");
        command.Arguments.Add(runArgument);
        command.Options.Add(csv);
        command.Options.Add(layers);
        command.Options.Add(tensorboard);
        var model = new Option<string?>("--model") { Description = "Write the run's trained model (model.gsm) as .npz in PyTorch's state_dict naming (0.weight, 0.bias, 2.weight, …), or as .gsm. [default: none]" };
        command.Options.Add(model);
        command.SetAction(result =>
        {
            string dir = result.GetValue(runArgument)!;
            if (result.GetValue(model) is { } modelPath)
                return ExportModel(dir, modelPath, result.GetValue(csv) is not null || result.GetValue(layers) is not null || result.GetValue(tensorboard) is not null);
            var run = RunLoading.Load(dir);
            string? board = result.GetValue(tensorboard);
            string? path = result.GetValue(csv) ?? (board is null ? Path.Combine(dir, "metrics.csv") : null);
            string? layersPath = result.GetValue(layers);
            if (path == Stdout && layersPath == Stdout) throw new UsageException("--csv - and --layers - would both write to stdout; give one of them a file.");
            if (path is not null) Check("--csv", path, dir);
            if (layersPath is not null) Check("--layers", layersPath, dir);
            // With a table on stdout, what would be said about it goes to stderr.
            Action<string> say = path == Stdout || layersPath == Stdout ? Console.Error.WriteLine : Output.Line;
            if (path is not null)
            {
                if (path == Stdout) WriteStdout(run.ExportCsv);
                else run.ExportCsv(path);
                say($"wrote {Output.Count(run.Metrics.Count, "record")} to {(path == Stdout ? "stdout" : path)}");
            }
            if (board is not null)
            {
                if (File.Exists(board)) throw new UsageException($"--tensorboard '{board}' is a file; give a folder.");
                say($"wrote TensorBoard events to {Record.TensorBoard.TensorBoardExport.Write(run, board)}");
            }
            if (layersPath is not null)
            {
                var view = new RunView(run);
                if (layersPath == Stdout) WriteStdout(stream => LayerTableCsv.Write(stream, view));
                else LayerTableCsv.Write(layersPath, view);
                say($"wrote {Output.Count(run.Info.Depth, "layer")} to {(layersPath == Stdout ? "stdout" : layersPath)}");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The name that asks for a stream rather than a file.</summary>
    private const string Stdout = "-";

    private static void WriteStdout(Action<Stream> write)
    {
        using var stdout = Console.OpenStandardOutput();
        write(stdout);
        stdout.Flush();
    }

    private static int ExportModel(string dir, string path, bool alsoOther)
    {
        if (alsoOther) throw new UsageException("--model writes the model only; export the metrics in a second call.");
        string source = Path.Combine(dir, Experiments.ExperimentRunner.ModelFileName);
        if (!File.Exists(source)) throw new UsageException($"{dir}: no {Experiments.ExperimentRunner.ModelFileName} (the run was trained with --no-save, or before models were kept).");
        Check("--model", path, dir);
        var (network, scaling) = IO.ModelFile.Read<double>(source);
        // Written in the run's own precision.
        bool npz = path.EndsWith(".npz", StringComparison.OrdinalIgnoreCase);
        if (npz && !IO.ModelFile.IsFloat64(source)) IO.NpzModel.Save(IO.ModelFile.Load<float>(source), path);
        else if (npz) IO.NpzModel.Save(network, path);
        else if (IO.ModelFile.IsFloat64(source)) IO.ModelFile.Save(network, path, scaling);
        else IO.ModelFile.Save(IO.ModelFile.Load<float>(source), path, scaling);
        Output.Line($"wrote the {network.Depth}-layer model [{string.Join(",", network.Spec.Layers)}] to {path}");
        if (scaling is not null && npz)
            Output.Line("note: the model expects standardised inputs; the .npz holds weights only (the mean and scale stay in model.gsm)");
        return ExitCodes.Success;
    }

    private static void Check(string option, string path, string dir)
    {
        if (path == Stdout) return;
        string full = Path.GetFullPath(path);
        if (new[] { RunFiles.Info, RunFiles.Metrics, RunFiles.Summary, RunFiles.Report }
                .Any(f => string.Equals(full, Path.GetFullPath(Path.Combine(dir, f)), StringComparison.Ordinal)))
            throw new UsageException($"{option} '{path}' would overwrite the run's own file; choose another name.");
        if (Directory.Exists(full)) throw new UsageException($"{option} '{path}' is a folder; give a file name.");
        if (!RegularFile.IsReplaceable(full))
            throw new UsageException($"{option} '{path}' is not a regular file (a device, FIFO or socket); give a file name, or - for stdout.");
        string? parent = Path.GetDirectoryName(full);
        if (parent is not null && !Directory.Exists(parent)) throw new UsageException($"{option} '{path}': folder '{parent}' does not exist.");
    }
}
