using Gradscope.Cli.Terminal;
using Gradscope.Experiments;
using Gradscope.Model;
using Spectre.Console;

namespace Gradscope.Cli.Commands;

/// <summary>
/// <c>gradscope demo --recurrent</c>: a tanh RNN and an LSTM of the same width on the adding problem (T = 50), the
/// same story told through time: the RNN's ‖∂C/∂h_t‖ decays over the steps and early inputs stop reaching the
/// gradient; the LSTM's does not. Every number printed is read from the two run directories.
/// </summary>
internal static class DemoRecurrent
{
    /// <summary>Sequences and epochs of each net unless --train-size or --epochs say otherwise.</summary>
    public const int DefaultTrain = 6_000, DefaultEpochs = 2;

    public static int Run(string output, ulong seed, int trainSize, int epochs)
    {
        var specs = new[] { Spec("rnn", seed, trainSize, epochs), Spec("lstm", seed, trainSize, epochs) };
        var split = DataLoading.LoadFor(specs[0]);
        string root = RunDirectories.NewRunDirectory(output, "demo-recurrent");
        Output.Heading("Gradscope demo: the gradient through time of a plain RNN and an LSTM (adding problem, T = 50)");
        Output.Line($"{split.Train.Count} training and {split.Test.Count} test sequences; {Output.Count(epochs, "epoch")} each; runs in {root}");
        var reporter = new ProgressReporter();
        var outcomes = Cli.WithCancellation(token => reporter.Run(() =>
        {
            var results = new RunOutcome[specs.Length];
            Parallel.For(0, specs.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
                results[i] = ExperimentRunner.Run(specs[i], split.Train, split.Test, Path.Combine(root, specs[i].Name), "demo", reporter, token));
            return results;
        }));
        var runs = outcomes.Select(o => RunRecord.Load(o.Directory!)).ToArray();
        foreach (var run in runs)
            if (TimeTables.Profiles(new RunView(run), run.Info.Name) is { } table) AnsiConsole.Write(table);
        Output.Heading("verdict");
        foreach (var run in runs)
        {
            var view = new RunView(run);
            double init = view.AtInit(Quantity.TimeGradRatio, 1), end = view.AtEnd(Quantity.TimeGradRatio, 1);
            double cost = run.Epochs.Count > 0 ? run.Epochs[^1].TestCost : double.NaN, start = run.Epochs.Count > 0 ? run.Epochs[0].TestCost : double.NaN;
            Output.Line($"{run.Info.Name}: ‖∂C/∂h_1‖/‖∂C/∂h_50‖ = {Numbers.Short(init)} at init, {Numbers.Short(end)} at end; test cost {Numbers.Short(start)} → {Numbers.Short(cost)}.");
            var findings = Diagnosis.Prescriber.Prescribe(Diagnosis.Doctor.Diagnose(Diagnosis.DiagnosisInput.From(run)), Diagnosis.Prescriber.ContextOf(run));
            FindingsFile.Write(run.Directory, findings);
            foreach (var f in findings.Where(f => f.Kind is FindingKind.VanishingThroughTime or FindingKind.ExplodingThroughTime))
                Output.Line($"  {f.Severity}: {f.Title} — {f.Evidence}");
        }
        foreach (var run in runs) Reporting.TryWrite(run);
        Output.Line($"run directories: {string.Join(", ", outcomes.Select(o => o.Directory))}");
        return ExitCodes.Success;
    }

    private static ExperimentSpec Spec(string cell, ulong seed, int trainSize, int epochs)
    {
        var spec = SequenceSpecs.Defaults("adding");
        spec = spec with
        {
            Name = $"{cell}-adding50",
            Seed = seed,
            Network = spec.Network with
            {
                Layers = [2, 32, 1],
                Recurrent = new RecurrentSpec { Cell = cell, Steps = 50, ForgetBias = cell == "lstm" ? 1 : null },
            },
            Training = spec.Training with { Eta = 0.01, Epochs = epochs, ClipNorm = 1, Threads = 1 },
            Data = spec.Data with { Train = trainSize, Test = 500, Length = 50 },
        };
        return spec with { Probes = spec.Probes.ThinnedFor((long)epochs * trainSize / spec.Training.BatchSize).WithReferenceBudget(spec.Training.BatchSize) };
    }
}
