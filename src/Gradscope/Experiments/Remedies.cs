using System.Diagnostics;
using Gradscope.Data;
using Gradscope.Model;
using Gradscope.Probes;
using Gradscope.Training;

namespace Gradscope.Experiments;

/// <summary>
/// Nielsen's vanishing-gradient nets — sigmoid, [784, 30×4, 10] and [784, 30×10, 10] — trained for one budget with
/// each remedy, every remedy being a changed spec run by <see cref="ExperimentRunner"/>. The baseline is Nielsen's
/// chapter 5 set-up (cross-entropy, N(0, 1/n_in) weights, batch 10, no regularisation); each remedy changes that
/// spec and its η.
/// </summary>
public static class Remedies
{
    // η of each remedy: the best of a small grid (0.001 … 3 in ×3 steps) on the 4-hidden-layer net after 1 epoch
    // of 10,000 digits, so no remedy wins by a better-tuned step. Plain SGD at Nielsen's η = 0.1 stays at chance.
    private static readonly (string Name, Func<ExperimentSpec, ExperimentSpec> Apply)[] All =
    [
        ("sgd", s => s with { Training = s.Training with { Eta = 3 } }),
        ("relu-he", s => s with { Network = s.Network with { Activation = "relu", Init = "he-normal" }, Training = s.Training with { Eta = 0.05 } }),
        ("glorot", s => s with { Network = s.Network with { Init = "glorot-normal" }, Training = s.Training with { Eta = 3 } }),
        ("rmsprop", s => s with { Training = s.Training with { Optimizer = "rmsprop", Eta = 0.01 } }),
        ("adam", s => s with { Training = s.Training with { Optimizer = "adam", Eta = 0.01 } }),
        ("trust-ratio", s => s with { Training = s.Training with { Eta = 1, TrustRatio = 0.02 } }),
        ("batch-norm", s => s with { Network = s.Network with { Normalization = "batch" }, Training = s.Training with { Eta = 0.3 } }),
        ("residual", s => s with { Network = s.Network with { Residual = true }, Training = s.Training with { Eta = 0.3 } }),
        ("kfac", s => s with { Training = s.Training with { Optimizer = "kfac", Eta = 0.5, Damping = 0.1, KfacInverseEvery = 20 } }),
    ];

    /// <summary>Every remedy, in table order.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. All.Select(r => r.Name)];

    /// <summary>The experiment a remedy runs on a net of <paramref name="hiddenLayers"/> hidden layers of 30.</summary>
    public static ExperimentSpec SpecOf(string remedy, int hiddenLayers, RemedyBudget budget)
    {
        ArgumentNullException.ThrowIfNull(budget);
        var apply = All.FirstOrDefault(r => r.Name == remedy).Apply
            ?? throw new ArgumentException($"Unknown remedy '{remedy}'. Valid: {string.Join(", ", Names)}.");
        int[] layers = [784, .. Enumerable.Repeat(30, hiddenLayers), 10];
        var baseline = new ExperimentSpec
        {
            Name = $"{remedy}-{hiddenLayers}",
            Network = new NetworkSpec { Layers = layers, Activation = "sigmoid", Cost = "cross-entropy", Init = "scaled-normal" },
            Training = new TrainingOptions { Eta = 0.1, BatchSize = budget.BatchSize, Epochs = budget.Epochs },
            Probes = ProbeOptions.FromPreset("none"),
            Seed = budget.Seed,
        };
        return apply(baseline);
    }

    /// <summary>
    /// Runs every remedy in the budget on the given data (in memory, nothing written) and returns one row per
    /// remedy and net: 4-hidden-layer rows first, then 10-hidden-layer rows.
    /// </summary>
    public static IReadOnlyList<RemedyResult> Run(Dataset<float> train, Dataset<float> test, RemedyBudget budget, IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(budget);
        budget.Validate();
        var names = budget.Only ?? Names;
        var depths = budget.Deep ? new[] { 4, 10 } : [4];
        var results = new List<RemedyResult>();
        foreach (int hidden in depths)
            foreach (string name in Names.Where(names.Contains))
            {
                progress?.Report($"{name} on {hidden} hidden layers …");
                var result = RunOne(SpecOf(name, hidden, budget), name, hidden, train, test);
                results.Add(result);
                progress?.Report($"{name} on {hidden} hidden layers: speed ratio {result.SpeedRatioStart:G3} → {result.SpeedRatioEnd:G3}, accuracy {result.Accuracy:P1}, {result.Seconds:F1} s");
            }
        return results;
    }

    private static RemedyResult RunOne(ExperimentSpec spec, string name, int hidden, Dataset<float> train, Dataset<float> test)
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
        var records = outcome.Memory!;
        double Ratio(bool last)
        {
            var first = records.Of(Quantity.ReferenceBiasGradNorm, 1).ToList();
            var top = records.Of(Quantity.ReferenceBiasGradNorm, hidden).ToList();
            if (first.Count == 0 || top.Count == 0) return double.NaN;
            return (last ? first[^1] : first[0]).Value / (last ? top[^1] : top[0]).Value;
        }
        var end = outcome.Epochs.Count > 0 ? outcome.Epochs[^1] : null;
        bool onTest = test.Count > 0;
        return new RemedyResult(name, hidden, Ratio(false), Ratio(true),
            end is null ? double.NaN : onTest ? end.TestCost : end.TrainCost,
            end is null ? double.NaN : onTest ? end.TestAccuracy : end.TrainAccuracy,
            seconds, outcome.Status);
    }
}
