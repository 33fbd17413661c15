using System.CommandLine;
using Gradscope.Cli.Terminal;
using Gradscope.Data;
using Gradscope.Experiments;
using Gradscope.IO;
using Gradscope.Model;
using Gradscope.Training;
using Spectre.Console;

namespace Gradscope.Cli.Commands;

/// <summary><c>gradscope train</c>: any network from flags or a spec file, with probes, into a run directory.</summary>
public static class TrainCommand
{
    /// <summary>Nielsen's chapter-5 defaults: [784,30,30,10] sigmoid, cross-entropy, η = 0.1, λ = 5, batch 10.</summary>
    public static ExperimentSpec Defaults { get; } = new()
    {
        Network = new NetworkSpec { Layers = [784, 30, 30, 10], Activation = "sigmoid", Cost = "cross-entropy", Init = "scaled-normal" },
        Training = new TrainingOptions { Eta = 0.1, BatchSize = 10, Epochs = 30, Lambda = 5, Threads = Environment.ProcessorCount },
    };

    public static Command Create()
    {
        var flags = new SpecFlags(Defaults);
        var output = new Option<string>("--out") { Description = "Parent folder of the run directory.", DefaultValueFactory = _ => "runs" };
        var noReport = new Option<bool>("--no-report") { Description = "Do not write report.html." };
        var save = new Option<string?>("--save") { Description = "Also write the trained model to this file (.gsm, or .npz in PyTorch's state_dict naming; docs/model-format.md). [default: none]" };
        var noSave = new Option<bool>("--no-save") { Description = "Do not keep model.gsm in the run directory." };
        var initFrom = new Option<string?>("--init-from") { Description = "Start from a saved model (.gsm, or .npz of PyTorch-named weights) instead of an initialiser. [default: none: --init]" };
        var checkpointEvery = new Option<string?>("--checkpoint-every") { Description = "Write a checkpoint every N steps, or every 'epoch', into the run directory (for --resume). [default: none]" };
        var keep = new Option<string?>("--keep-checkpoints") { Description = "Checkpoints kept, newest first. [default: 3]" };
        var resume = new Option<string?>("--resume") { Description = "Continue the run in this run directory from its newest checkpoint. [default: none]" };
        var tensorboard = new Option<string?>("--tensorboard") { Description = "Also write TensorBoard event files into <folder>/<run directory name>/ while training. [default: none]" };
        var command = new Command("train", "Train a network with probes attached; write a run directory (run.json, metrics.jsonl, summary.json, model.gsm, report.html).");
        flags.AddTo(command);
        foreach (var option in new Option[] { output, noReport, tensorboard, save, noSave, initFrom, checkpointEvery, keep, resume }) command.Options.Add(option);
        command.SetAction(result =>
        {
            if (result.GetValue(resume) is { } runDirectory) return Resume(runDirectory, writeReport: !result.GetValue(noReport));
            var spec = flags.Build(result, flags.DefaultsFor(result, Defaults));
            FeatureScaling? scaling = null;
            string? from = result.GetValue(initFrom);
            if (from is not null) (spec, scaling) = FromModel(spec, from, flags, result);
            Validate(spec);
            // Built-in sets are checked before they are made (their sizes are the flags'); a data file once read, at its real size.
            bool isFile = Experiments.DataFiles.IsFile(spec.Data.Source);
            if (!isFile) flags.CheckMemory(result, spec);
            var data = DataLoading.Load(spec.Data, spec.Precision == "float64", scaling);
            bool named = result.GetValue(flags.Name) is not null || result.GetValue(flags.Spec) is not null;
            spec = DataLoading.Fit(spec, data, sizesGiven: flags.SizesGiven(result) || from is not null,
                costGiven: flags.CostGiven(result) || (from is not null && !IsNpz(from)));
            if (!named) spec = spec with { Name = SpecFlags.DefaultName(spec) };
            spec = flags.WithWeightDecay(result, spec, data.Train.Count);
            Validate(spec);
            DataLoading.Check(spec, data);
            flags.CheckMemory(result, spec with { Data = spec.Data with { Train = data.Train.Count, Test = data.Test.Count } });
            spec = Thin(spec, data.Train.Count, flags, result);
            var control = new RunControl
            {
                InitFrom = from,
                SavePath = result.GetValue(save) is { } path ? CheckSavePath(path) : null,
                SaveInRunDirectory = !result.GetValue(noSave),
                Checkpoints = result.GetValue(checkpointEvery) is { } every ? Parse(() => CheckpointSchedule.Parse(every)) : null,
                CheckpointsKept = result.GetValue(keep) is { } k ? Parse(() => SpecFields.Int("--keep-checkpoints", k, min: 1)) : 3,
                Scaling = data.Scaling,
            };
            string dir = RunDirectories.NewRunDirectory(result.GetValue(output)!, spec.Name);
            Output.Line($"training {spec.Network} on {Path.GetFileName(spec.Data.Source)} ({data.Train.Count} train / {data.Test.Count} test{(data.IsRegression ? ", regression" : "")}), " +
                $"{(spec.Training.Epochs == 0 ? "0 epochs: measured at init, no training step" : Output.Count(spec.Training.Epochs, "epoch"))} → {dir}");
            var reporter = new ProgressReporter();
            using var board = TensorBoardEvents.Open(result.GetValue(tensorboard), dir, spec);
            // The tables, verdict and report are inside the cancellable scope: a signal after training lets them finish.
            return Cli.WithCancellation(token =>
            {
                var outcome = reporter.Run(() => ExperimentRunner.Run(spec, data, dir, control with { AlsoTo = board }, "train", reporter, token));
                board?.Dispose();
                return Finish(outcome, writeReport: !result.GetValue(noReport));
            });
        });
        return command;
    }

    /// <summary><c>train --resume dir</c>: the run's own spec and data, from its newest checkpoint.</summary>
    private static int Resume(string directory, bool writeReport)
    {
        string infoPath = Path.Combine(directory, RunFiles.Info);
        if (!File.Exists(infoPath)) throw new UsageException($"--resume: '{directory}' holds no run (no {RunFiles.Info}).");
        var info = System.Text.Json.JsonSerializer.Deserialize<RunInfo>(File.ReadAllText(infoPath), JsonDefaults.Options)
            ?? throw new UsageException($"--resume: {infoPath} is empty.");
        if (info.Status == RunStatus.Complete) throw new UsageException($"--resume: the run in '{directory}' is complete; there is nothing to continue.");
        if (info.Spec is not { } specJson) throw new UsageException($"--resume: {infoPath} records no spec to continue from.");
        var spec = System.Text.Json.JsonSerializer.Deserialize<ExperimentSpec>(specJson, SpecJson.Options) ?? throw new UsageException($"--resume: {infoPath} has an empty spec.");
        string checkpoint = Checkpoint.List(directory).LastOrDefault()
            ?? throw new UsageException($"--resume: '{directory}' has no checkpoint; train with --checkpoint-every to make runs resumable.");
        var header = Checkpoint.ReadHeader(checkpoint);
        var data = DataLoading.LoadFor(spec, header.Scaling);
        Output.Line($"resuming {spec.Name} in {directory} at step {header.Step} (epoch {header.Epoch}, {Path.GetFileName(checkpoint)})");
        var reporter = new ProgressReporter();
        var outcome = Cli.WithCancellation(token =>
            reporter.Run(() => ExperimentRunner.Resume(spec, data, Path.GetFullPath(directory), checkpoint, reporter, token)));
        return Finish(outcome, writeReport);
    }

    /// <summary>
    /// The spec with the network a saved model defines: a .gsm gives sizes, activations, cost and normalisation (a
    /// flag that says otherwise is refused, naming the difference); a .npz gives the sizes, the flags the rest.
    /// </summary>
    private static (ExperimentSpec Spec, FeatureScaling? Scaling) FromModel(ExperimentSpec spec, string path, SpecFlags flags, ParseResult result)
    {
        if (!File.Exists(path)) throw new UsageException($"--init-from: '{path}' does not exist.");
        if (IsNpz(path))
        {
            int[] sizes = NpzModel.ReadSizes(path);
            Refuse(flags.Layers, result, string.Join(",", sizes), v => SpecFlags.ParseLayers(v).SequenceEqual(sizes), path, "layer sizes");
            Refuse(flags.Hidden, result, string.Join(",", sizes[1..^1]), v => SpecFlags.ParseHidden(v).SequenceEqual(sizes[1..^1]), path, "hidden sizes");
            return (spec with { Network = spec.Network with { Layers = sizes } }, null);
        }
        var model = ModelFile.ReadSpec(path);
        var (_, scaling) = ModelFile.Read<double>(path);
        Refuse(flags.Layers, result, string.Join(",", model.Layers), v => SpecFlags.ParseLayers(v).SequenceEqual(model.Layers), path, "layer sizes");
        Refuse(flags.Hidden, result, string.Join(",", model.Layers[1..^1]), v => SpecFlags.ParseHidden(v).SequenceEqual(model.Layers[1..^1]), path, "hidden sizes");
        Refuse(flags.Depth, result, (model.Depth - 1).ToString(System.Globalization.CultureInfo.InvariantCulture), v => v.Trim() == (model.Depth - 1).ToString(System.Globalization.CultureInfo.InvariantCulture), path, "hidden layers");
        string hiddenActivation = model.Depth > 1 ? model.ActivationOf(1).Name : model.ActivationOf(model.Depth).Name;
        Refuse(flags.Activation, result, hiddenActivation, v => model.LayerActivations is null && Activation.Parse(v).Name == hiddenActivation, path, "activation");
        string outputActivation = model.ActivationOf(model.Depth).Name;
        Refuse(flags.OutputActivation, result, outputActivation, v => Activation.ParseOutput(v).Name == outputActivation, path, "output activation");
        Refuse(flags.Cost, result, Cost.Parse(model.Cost).Name, v => Cost.Parse(v).Name == Cost.Parse(model.Cost).Name, path, "cost");
        Refuse(flags.Normalization, result, model.Normalization, v => NetworkSpec.ParseNormalization(v) == NetworkSpec.ParseNormalization(model.Normalization), path, "normalisation");
        return (spec with { Network = model with { Init = spec.Network.Init, BiasInit = spec.Network.BiasInit } }, scaling);
    }

    private static void Refuse(System.CommandLine.Option<string?> option, ParseResult result, string fileValue, Func<string, bool> agrees, string path, string what)
    {
        if (result.GetValue(option) is not { } value) return;
        bool same;
        try { same = agrees(value); }
        catch (ArgumentException) { same = false; }
        if (!same) throw new UsageException($"{option.Name} {value} contradicts --init-from '{path}', whose {what} is {fileValue}; drop the flag (the model file decides).");
    }

    private static bool IsNpz(string path) => path.EndsWith(".npz", StringComparison.OrdinalIgnoreCase);

    private static string CheckSavePath(string path)
    {
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full)) throw new UsageException($"--save '{path}' is a folder; give a file name.");
        string? parent = Path.GetDirectoryName(full);
        if (parent is not null && !Directory.Exists(parent)) throw new UsageException($"--save '{path}': folder '{parent}' does not exist.");
        return full;
    }

    private static T Parse<T>(Func<T> parse)
    {
        try { return parse(); }
        catch (ArgumentException e) { throw new UsageException(e.Message); }
    }

    /// <summary>
    /// Presets' every-step schedules thinned to about 2,000 measurements per run, and reference-set passes held to
    /// 2% of training (see ProbeOptions.ThinnedFor and WithReferenceBudget); a spec file's own probes section is kept
    /// as written unless --probes replaces it.
    /// </summary>
    public static ExperimentSpec Thin(ExperimentSpec spec, int trainCount, SpecFlags flags, ParseResult result)
    {
        if (result.GetValue(flags.Spec) is not null && result.GetValue(flags.Probes) is null) return spec;
        long steps = (long)spec.Training.Epochs * (((long)trainCount + spec.Training.BatchSize - 1) / spec.Training.BatchSize);
        return spec with { Probes = spec.Probes.ThinnedFor(steps).WithReferenceBudget(spec.Training.BatchSize) };
    }

    public static void Validate(ExperimentSpec spec)
    {
        try { spec.Validate(); }
        catch (ArgumentException e) { throw new UsageException(e.Message); }
    }

    /// <summary>Prints a finished run's tables and verdict, writes its report, and picks the exit code.</summary>
    public static int Finish(RunOutcome outcome, bool writeReport)
    {
        var run = RunLoading.Load(outcome.Directory!);
        AnsiConsole.Write(RunTables.Layers(run));
        if (TimeTables.Profiles(new RunView(run), run.Info.Name) is { } time) AnsiConsole.Write(time);
        AnsiConsole.Write(RunTables.Epochs(run));
        var context = Diagnosis.Prescriber.ContextOf(run);
        var findings = Diagnosis.Prescriber.Prescribe(Diagnosis.Doctor.Diagnose(Diagnosis.DiagnosisInput.From(run)), context);
        FindingsFile.Write(outcome.Directory!, findings);
        bool untrained = Diagnosis.DiagnosisInput.IsUntrained(run);
        Output.Heading(untrained ? "verdict at initialisation (--epochs 0: no training step)" : "verdict");
        FindingsView.Print(findings, run.Info.Name, context, new RunView(run), untrained);
        bool reported = writeReport && Reporting.TryWrite(run) is not null;
        Output.Line($"run directory: {outcome.Directory}");
        if (outcome.Status == RunStatus.Interrupted) Output.Notice(Interruption.Note(outcome, reported));
        if (outcome.Status == RunStatus.Complete && Cli.Signal is not null)
            Output.Error("the stop signal came after training had finished: the run is complete and its report written.");
        return outcome.Status switch
        {
            RunStatus.Complete => ExitCodes.Success,
            RunStatus.Interrupted => Cli.InterruptedExitCode,
            _ => Fail(outcome),
        };
    }

    private static int Fail(RunOutcome outcome)
    {
        Output.Error($"run failed: {outcome.NonFinite?.ToString() ?? outcome.Status}");
        return ExitCodes.RunFailed;
    }
}
