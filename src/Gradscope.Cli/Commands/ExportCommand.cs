using System.CommandLine;
using Gradscope.Cli.Terminal;

namespace Gradscope.Cli.Commands;

/// <summary>
/// <c>gradscope export &lt;run&gt; --csv file</c>: the metrics in long CSV format for pandas or a spreadsheet;
/// <c>--layers file</c>: the per-layer table (<see cref="RunView.Rows"/>) as CSV; <c>--model file.npz</c>: the trained
/// model's weights in PyTorch's state_dict naming (docs/model-format.md).
/// </summary>
public static class ExportCommand
{
    public static Command Create()
    {
        var runArgument = new Argument<string>("run") { Description = "A run directory." };
        var csv = new Option<string?>("--csv") { Description = "Output CSV file (default: <run>/metrics.csv)." };
        var layers = new Option<string?>("--layers") { Description = "Also write the per-layer table (speed at init and at end, typical gain, factors, saturated, dead) as CSV." };
        var model = new Option<string?>("--model") { Description = "Write the run's trained model (model.gsm) as .npz in PyTorch's state_dict naming (0.weight, 0.bias, 2.weight, …), or as .gsm." };
        var command = new Command("export", "Export a run's metrics as long-format CSV (step,epoch,layer,quantity,index,bin,value).");
        command.Arguments.Add(runArgument);
        command.Options.Add(csv);
        command.Options.Add(layers);
        command.Options.Add(model);
        command.SetAction(result =>
        {
            string dir = result.GetValue(runArgument)!;
            if (result.GetValue(model) is { } modelPath) return ExportModel(dir, modelPath, result.GetValue(csv) is not null || result.GetValue(layers) is not null);
            var run = RunRecord.Load(dir);
            string path = result.GetValue(csv) ?? Path.Combine(dir, "metrics.csv");
            string? layersPath = result.GetValue(layers);
            Check("--csv", path, dir);
            if (layersPath is not null) Check("--layers", layersPath, dir);
            run.ExportCsv(path);
            Output.Line($"wrote {run.Metrics.Count} records to {path}");
            if (layersPath is not null)
            {
                LayerTableCsv.Write(layersPath, new RunView(run));
                Output.Line($"wrote {run.Info.Depth} layers to {layersPath}");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static int ExportModel(string dir, string path, bool alsoCsv)
    {
        if (alsoCsv) throw new UsageException("--model writes the model only; export the CSVs in a second call.");
        string source = Path.Combine(dir, Experiments.ExperimentRunner.ModelFileName);
        if (!File.Exists(source)) throw new UsageException($"{dir}: no {Experiments.ExperimentRunner.ModelFileName} (the run was trained with --no-save, or before models were kept).");
        Check("--model", path, dir);
        var (network, scaling) = IO.ModelFile.Read<double>(source);
        // Written in the run's own precision.
        bool float32 = !IO.ModelFile.IsFloat64(source);
        if (path.EndsWith(".npz", StringComparison.OrdinalIgnoreCase))
        {
            if (float32) IO.NpzModel.Save(IO.ModelFile.Load<float>(source), path);
            else IO.NpzModel.Save(network, path);
        }
        else IO.ModelFile.Save(network, path, scaling);
        Output.Line($"wrote the {network.Depth}-layer model [{string.Join(",", network.Spec.Layers)}] to {path}");
        if (scaling is not null && path.EndsWith(".npz", StringComparison.OrdinalIgnoreCase))
            Output.Line("note: the model expects standardised inputs; the .npz holds weights only (the mean and scale stay in model.gsm)");
        return ExitCodes.Success;
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
