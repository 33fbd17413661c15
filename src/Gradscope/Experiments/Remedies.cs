using System.Diagnostics;
using Gradscope.Data;
using Gradscope.Model;
using Gradscope.Probes;
using Gradscope.Training;

namespace Gradscope.Experiments;

/// <summary>
/// Nielsen's vanishing-gradient nets — sigmoid, [784, 30×4, 10] and [784, 30×10, 10] — trained for one budget with
/// each remedy of <see cref="RemedyRegistry"/>, every remedy being its flags applied to one baseline spec and run by
/// <see cref="ExperimentRunner"/>. The baseline is Nielsen's chapter 5 set-up (cross-entropy, N(0, 1/n_in) weights,
/// batch 10, η = 0.1, no regularisation); the tuned remedies set their own η (see <see cref="RemedyRegistry.Tuned"/>).
/// </summary>
public static class Remedies
{
    /// <summary>Nielsen's net of <paramref name="hiddenLayers"/> hidden layers of 30 before any remedy.</summary>
    public static ExperimentSpec Baseline(int hiddenLayers, RemedyBudget budget)
    {
        ArgumentNullException.ThrowIfNull(budget);
        int[] layers = [784, .. Enumerable.Repeat(30, hiddenLayers), 10];
        return new ExperimentSpec
        {
            Name = $"baseline-{hiddenLayers}",
            Network = new NetworkSpec { Layers = layers, Activation = "sigmoid", Cost = "cross-entropy", Init = "scaled-normal" },
            Training = new TrainingOptions { Eta = 0.1, BatchSize = budget.BatchSize, Epochs = budget.Epochs },
            Probes = ProbeOptions.FromPreset("none"),
            Seed = budget.Seed,
        };
    }

    /// <summary>The remedy as the table runs it on the baseline of <paramref name="hiddenLayers"/> hidden layers.</summary>
    public static Remedy RemedyOf(string remedy, int hiddenLayers, RemedyBudget budget) =>
        RemedyRegistry.For(remedy, Baseline(hiddenLayers, budget));

    /// <summary>The experiment a remedy runs on a net of <paramref name="hiddenLayers"/> hidden layers of 30.</summary>
    public static ExperimentSpec SpecOf(string remedy, int hiddenLayers, RemedyBudget budget) =>
        RemedyOf(remedy, hiddenLayers, budget).Apply(Baseline(hiddenLayers, budget)) with { Name = $"{remedy}-{hiddenLayers}" };

    /// <summary>
    /// Runs the tuned remedies (or the budget's <see cref="RemedyBudget.Only"/>) on the given data (in memory, nothing
    /// written) and returns one row per remedy and net: 4-hidden-layer rows first, then 10-hidden-layer rows.
    /// </summary>
    public static IReadOnlyList<RemedyResult> Run(Dataset<float> train, Dataset<float> test, RemedyBudget budget, IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(budget);
        budget.Validate();
        var names = budget.Only ?? RemedyRegistry.Tuned;
        var depths = budget.Deep ? new[] { 4, 10 } : [4];
        var results = new List<RemedyResult>();
        foreach (int hidden in depths)
            foreach (string name in RemedyRegistry.Names.Where(names.Contains))
            {
                progress?.Report($"{name} on {hidden} hidden layers …");
                var remedy = RemedyOf(name, hidden, budget);
                var result = RunOne(SpecOf(name, hidden, budget), remedy, hidden, train, test);
                results.Add(result);
                progress?.Report($"{name} on {hidden} hidden layers: {SpeedRatio.Name} {Numbers.Ratio(result.SpeedRatioStart)} → {Numbers.Ratio(result.SpeedRatioEnd)}, accuracy {result.Accuracy:P1}, {result.Seconds:F1} s");
            }
        return results;
    }

    private static RemedyResult RunOne(ExperimentSpec spec, Remedy remedy, int hidden, Dataset<float> train, Dataset<float> test)
    {
        long steps = (long)spec.Training.Epochs * ((train.Count + spec.Training.BatchSize - 1) / spec.Training.BatchSize);
        // The reference gradient at the first and the last step only; norms now and then catch a diverged run.
        spec = spec with
        {
            Probes = spec.Probes with
            {
                Reference = steps > 1 ? $"every:{steps - 1}" : "every:1",
                Norms = "every:100",
            },
        };
        var clock = Stopwatch.StartNew();
        var outcome = ExperimentRunner.Run(spec, train, test, null);
        double seconds = clock.Elapsed.TotalSeconds;
        var view = RunViews.Of(outcome, spec);
        var end = outcome.Epochs.Count > 0 ? outcome.Epochs[^1] : null;
        bool onTest = test.Count > 0;
        return new RemedyResult(remedy.Name, remedy.Flags, spec.Training.Eta, hidden, view.Ratio(atEnd: false).Value, view.Ratio(atEnd: true).Value,
            end is null ? double.NaN : onTest ? end.TestCost : end.TrainCost,
            end is null ? double.NaN : onTest ? end.TestAccuracy : end.TrainAccuracy,
            seconds, outcome.Status);
    }
}
