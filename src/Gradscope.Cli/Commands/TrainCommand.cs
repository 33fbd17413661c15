using System.CommandLine;
using Gradscope.Cli.Terminal;
using Gradscope.Experiments;
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
        var flags = new SpecFlags();
        var output = new Option<string>("--out") { Description = "Parent folder of the run directory.", DefaultValueFactory = _ => "runs" };
        var noReport = new Option<bool>("--no-report") { Description = "Do not write report.html." };
        var tensorboard = new Option<string?>("--tensorboard") { Description = "Also write TensorBoard event files into <folder>/<run directory name>/ while training." };
        var command = new Command("train", "Train a network with probes attached; write a run directory (run.json, metrics.jsonl, summary.json, report.html).");
        flags.AddTo(command);
        command.Options.Add(output);
        command.Options.Add(noReport);
        command.Options.Add(tensorboard);
        command.SetAction(result =>
        {
            var spec = flags.Build(result, flags.DefaultsFor(result, Defaults));
            Validate(spec);
            var data = DataLoading.LoadFor(spec);
            spec = Thin(spec, data.Train.Count, flags, result);
            string dir = RunDirectories.NewRunDirectory(result.GetValue(output)!, spec.Name);
            Output.Line($"training {spec.Network} on {spec.Data.Source} ({data.Train.Count} train / {data.Test.Count} test), {spec.Training.Epochs} epochs → {dir}");
            var reporter = new ProgressReporter();
            using var board = TensorBoardEvents.Open(result.GetValue(tensorboard), dir, spec);
            var outcome = Cli.WithCancellation(token =>
                reporter.Run(() => ExperimentRunner.Run(spec, data.Train, data.Test, dir, "train", reporter, token, board)));
            board?.Dispose();
            return Finish(outcome, writeReport: !result.GetValue(noReport));
        });
        return command;
    }

    /// <summary>
    /// Presets' every-step schedules thinned to about 2,000 measurements per run, and reference-set passes held to
    /// 2% of training (see ProbeOptions.ThinnedFor and WithReferenceBudget); a spec file's own probes section is kept
    /// as written unless --probes replaces it.
    /// </summary>
    public static ExperimentSpec Thin(ExperimentSpec spec, int trainCount, SpecFlags flags, ParseResult result)
    {
        if (result.GetValue(flags.Spec) is not null && result.GetValue(flags.Probes) is null) return spec;
        long steps = (long)spec.Training.Epochs * ((trainCount + spec.Training.BatchSize - 1) / spec.Training.BatchSize);
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
        var run = RunRecord.Load(outcome.Directory!);
        AnsiConsole.Write(RunTables.Layers(run));
        if (TimeTables.Profiles(new RunView(run), run.Info.Name) is { } time) AnsiConsole.Write(time);
        AnsiConsole.Write(RunTables.Epochs(run));
        var context = Diagnosis.Prescriber.ContextOf(run);
        var findings = Diagnosis.Prescriber.Prescribe(Diagnosis.Doctor.Diagnose(Diagnosis.DiagnosisInput.From(run)), context);
        FindingsFile.Write(outcome.Directory!, findings);
        Output.Heading("verdict");
        FindingsView.Print(findings, run.Info.Name, context);
        if (writeReport) Reporting.TryWrite(run);
        Output.Line($"run directory: {outcome.Directory}");
        return outcome.Status switch
        {
            RunStatus.Complete => ExitCodes.Success,
            RunStatus.Interrupted => ExitCodes.Interrupted,
            _ => Fail(outcome),
        };
    }

    private static int Fail(RunOutcome outcome)
    {
        Output.Error($"run failed: {outcome.NonFinite?.ToString() ?? outcome.Status}");
        return ExitCodes.RunFailed;
    }
}
