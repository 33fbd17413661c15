using System.CommandLine;
using Gradscope.Cli.Terminal;
using Gradscope.Experiments;
using Gradscope.Model;
using Gradscope.Probes;
using Gradscope.Training;
using Spectre.Console;

namespace Gradscope.Cli.Commands;

/// <summary>
/// <c>gradscope demo</c>: Nielsen's [784,30,30,30,10] sigmoid net against the same net with ReLU + He init, on
/// the embedded digits; speed of learning per layer at init and after training, a verdict, run directories and
/// reports.
/// </summary>
public static class DemoCommand
{
    public static Command Create()
    {
        var epochs = new Option<int>("--epochs") { Description = $"Epochs per network ({DemoRecurrent.DefaultEpochs} with --recurrent).", DefaultValueFactory = _ => 3 };
        var output = new Option<string>("--out") { Description = "Parent folder of the demo's run directories.", DefaultValueFactory = _ => "runs" };
        var data = new Option<string>("--data") { Description = "digits (embedded), mnist, or a folder of IDX files.", DefaultValueFactory = _ => "digits" };
        var trainSize = new Option<int>("--train-size") { Description = $"Training examples ({DemoRecurrent.DefaultTrain} sequences with --recurrent).", DefaultValueFactory = _ => 50_000 };
        var seed = new Option<ulong>("--seed") { Description = "Seed for weights and shuffles.", DefaultValueFactory = _ => 1 };
        var recurrent = new Option<bool>("--recurrent") { Description = "The second part: a plain RNN and an LSTM on the adding problem, the gradient through time (docs/recurrent.md)." };
        var command = new Command("demo", "Train Nielsen's deep sigmoid net and a ReLU + He net side by side; show where gradients vanish.");
        command.Options.Add(epochs);
        command.Options.Add(output);
        command.Options.Add(data);
        command.Options.Add(trainSize);
        command.Options.Add(seed);
        command.Options.Add(recurrent);
        command.SetAction(result =>
        {
            if (result.GetValue(recurrent))
                return DemoRecurrent.Run(result.GetValue(output)!, result.GetValue(seed),
                    result.GetResult(trainSize) is null ? DemoRecurrent.DefaultTrain : result.GetValue(trainSize), result.GetResult(epochs) is null ? DemoRecurrent.DefaultEpochs : result.GetValue(epochs));
            int n = result.GetValue(epochs);
            if (n < 1) throw new UsageException($"--epochs: {n} is not a positive number of epochs.");
            var baseSpec = Specs(result.GetValue(data)!, result.GetValue(trainSize), n, result.GetValue(seed));
            var split = DataLoading.LoadFor(baseSpec[0]);
            string root = RunDirectories.NewRunDirectory(result.GetValue(output)!, "demo");
            Output.Heading("Gradscope demo: why deep sigmoid nets learn slowly in their early layers");
            Output.Line($"data: {baseSpec[0].Data.Source}, {split.Train.Count} training and {split.Test.Count} test images; {Output.Count(n, "epoch")} each; runs in {root}");
            var reporter = new ProgressReporter();
            var outcomes = Cli.WithCancellation(token => reporter.Run(() =>
            {
                var results = new RunOutcome[baseSpec.Length];
                // The two nets train at once, one core each: each run is deterministic on its own.
                Parallel.For(0, baseSpec.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
                    results[i] = ExperimentRunner.Run(baseSpec[i], split.Train, split.Test, Path.Combine(root, baseSpec[i].Name), "demo", reporter, token));
                return results;
            }));
            var runs = outcomes.Select(o => RunRecord.Load(o.Directory!)).ToArray();
            AnsiConsole.Write(Comparison(runs));
            Output.Heading("verdict");
            foreach (var line in Verdict(runs)) Output.Line(line);
            foreach (var run in runs)
            {
                var findings = Diagnosis.Prescriber.Prescribe(Diagnosis.Doctor.Diagnose(Diagnosis.DiagnosisInput.From(run)), Diagnosis.Prescriber.ContextOf(run));
                FindingsFile.Write(run.Directory, findings);
                Output.Line($"{run.Info.Name}: " + (findings.Count == 0 ? "no problems found" : string.Join("; ", findings.Select(f => $"{f.Severity}: {f.Title}"))));
            }
            var reported = runs.Select(run => Reporting.TryWrite(run) is not null).ToArray();
            Output.Line($"run directories: {string.Join(", ", outcomes.Select(o => o.Directory))}");
            Output.Line($"next: gradscope inspect {outcomes[0].Directory}");
            if (outcomes.Any(o => o.Status == RunStatus.Interrupted))
            {
                for (int i = 0; i < outcomes.Length; i++)
                    if (outcomes[i].Status == RunStatus.Interrupted) Output.Notice(Interruption.Note(outcomes[i], reported[i]));
                return Cli.InterruptedExitCode;
            }
            return outcomes.All(o => o.Status == RunStatus.Complete) ? ExitCodes.Success : ExitCodes.RunFailed;
        });
        return command;
    }

    public static ExperimentSpec[] Specs(string data, int train, int epochs, ulong seed)
    {
        var sigmoid = new ExperimentSpec
        {
            Name = "sigmoid",
            Network = new NetworkSpec { Layers = [784, 30, 30, 30, 10], Activation = "sigmoid", Cost = "cross-entropy", Init = "scaled-normal", BiasInit = "normal" },
            Training = new TrainingOptions { Eta = 0.1, BatchSize = 10, Epochs = epochs, Lambda = 5, Threads = 1 },
            // Every 5th step is plenty for 15,000-step curves and keeps the demo fast.
            Probes = ProbeOptions.FromPreset("standard") with { Norms = "log+every:5", Statistics = "log+every:5", UpdateRatio = "log+every:50", Reference = "log+every:500" },
            Data = new DataSpec { Source = data, Train = train, Test = 10_000 },
            Seed = seed,
        };
        var relu = sigmoid with
        {
            Name = "relu-he",
            Network = sigmoid.Network with { Activation = "relu", Init = "he-normal", BiasInit = "zero" },
            Training = sigmoid.Training with { Eta = 0.05 },
        };
        return [sigmoid, relu];
    }

    private static FittedTable Comparison(RunRecord[] runs)
    {
        var views = runs.Select(r => new RunView(r)).ToArray();
        var table = new FittedTable($"speed of learning ‖∂C/∂b^l‖ on {runs[0].Info.Data.Reference:N0} reference images (Nielsen ch. 5)")
            .AddColumn("layer", wrap: true);
        foreach (var run in runs)
        {
            table.AddColumn($"{run.Info.Name} at init");
            table.AddColumn($"{run.Info.Name} at end");
        }
        int depth = runs[0].Info.Depth;
        for (int l = 1; l <= depth; l++)
            table.AddRow([views[0].LayerName(l), .. views.SelectMany(v => new[] { Output.Sci(v.Speed(l, atEnd: false)), Output.Sci(v.Speed(l, atEnd: true)) })]);
        table.AddRow([SpeedRatio.Name, .. views.SelectMany(v => new[] { v.Ratio(atEnd: false).ToString(), v.Ratio(atEnd: true).ToString() })]);
        table.AddRow(["test accuracy", .. runs.SelectMany(r => new[] { Output.Percent(r.Epochs[0].TestAccuracy), Output.Percent(r.Epochs[^1].TestAccuracy) })]);
        return table;
    }

    /// <summary>Plain sentences with the numbers: how fast the first hidden layer learns next to the last, at init and at end, and which factor shrinks the gradient.</summary>
    public static IEnumerable<string> Verdict(RunRecord[] runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        foreach (var run in runs)
        {
            var view = new RunView(run);
            double activation = view.FactorProduct(Quantity.ActivationFactor), weight = view.FactorProduct(Quantity.WeightFactor);
            string who = activation < weight ? "the σ'(z) factors" : "the weight factors";
            yield return $"{run.Info.Name}: the first hidden layer learns at {view.Ratio(atEnd: false)} the speed of the last hidden layer at init, {view.Ratio(atEnd: true)} at end ({SpeedRatio.Name}). " +
                $"Across layers 1…{view.Depth - 2} the σ'(z) factors multiply to {Output.Sci(activation)} and the weight factors to {Output.Sci(weight)} (typical over the run): {who} shrink the gradient most. " +
                $"Test accuracy {Output.Percent(view.FinalAccuracy)}.";
        }
    }
}
