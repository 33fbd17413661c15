using System.Diagnostics;
using System.Globalization;
using Gradscope.Data;
using Gradscope.Experiments;
using Gradscope.Probes;

namespace Gradscope.Diagnosis;

/// <summary>
/// One verified prescription: the remedy's flags and the whole spec it ran with (η included), measured against the
/// unchanged spec on the same budget. <see cref="TimeRatio"/> is the gradient through time of a recurrent net's first
/// recurrent layer at end, ‖∂C/∂h_1‖/‖∂C/∂h_τ‖ (NaN without one), and <see cref="TimeRatioChange"/> the decades it
/// came closer to 1 than the unchanged spec's.
/// </summary>
/// <param name="Accuracy">Accuracy on the test sample (else the training sample); NaN for regression.</param>
/// <param name="RSquared">R² on the same examples for regression; NaN for classification.</param>
public sealed record VerifiedPrescription(string Name, string Flags, string Reason, ExperimentSpec Spec, double FirstToLastRatio, double Cost,
    double Accuracy, double CostChange, double RatioChange, bool Helped, string Verdict, double Seconds, string Status, double RSquared = double.NaN,
    double TimeRatio = double.NaN, double TimeRatioChange = double.NaN);

/// <summary>
/// Re-runs remedies of the registry for a short fixed budget from the same seed and data, beside the unchanged spec, and
/// ranks them by what actually helped: lower cost first; a prescription that did not lower the cost or balance
/// the layers (for a recurrent net, the gradient through time) is said so.
/// </summary>
public static class Verification
{
    public static (VerifiedPrescription Baseline, IReadOnlyList<VerifiedPrescription> Results) Verify(
        ExperimentSpec spec, IReadOnlyList<Remedy> remedies, Dataset<float> train, Dataset<float>? test,
        int budgetExamples, IProgress<string>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        return Verify(spec, remedies, new DataSplit(train, test ?? train.Take(0)), budgetExamples, progress, cancellation);
    }

    /// <summary>
    /// Verifies on a split: the first <paramref name="budgetExamples"/> training examples, and the test set when it has
    /// examples; a float64 spec reads the split's float64 values (<see cref="DataSplit.Sets{T}"/>).
    /// </summary>
    public static (VerifiedPrescription Baseline, IReadOnlyList<VerifiedPrescription> Results) Verify(
        ExperimentSpec spec, IReadOnlyList<Remedy> remedies, DataSplit split,
        int budgetExamples, IProgress<string>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(remedies);
        ArgumentNullException.ThrowIfNull(split);
        if (budgetExamples < 1) throw new ArgumentException($"Invalid verification budget: {budgetExamples} examples.");
        var cut = split.Take(budgetExamples, null);
        var data = cut.Train;
        bool scored = cut.Test.Count > 0;
        var shortSpec = spec with
        {
            Training = spec.Training with { Epochs = 1, Threads = 1 },
            Probes = ProbeOptions.FromPreset("minimal") with { Reference = "log+every:200", ReferenceSize = Math.Min(500, data.Count) },
        };
        var candidates = new List<(string Name, string Flags, string Reason, ExperimentSpec Spec)> { ("baseline", "", "the spec as it is", shortSpec) };
        candidates.AddRange(remedies.Select(r => (r.Name, r.Flags, r.Reason, r.Apply(shortSpec))));
        var raw = new (double Ratio, double TimeRatio, double Cost, double Accuracy, double RSquared, double Seconds, string Status)[candidates.Count];
        Parallel.For(0, candidates.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellation }, i =>
        {
            progress?.Report($"verifying {candidates[i].Name} on {data.Count} examples");
            var clock = Stopwatch.StartNew();
            var outcome = ExperimentRunner.Run(candidates[i].Spec with { Name = candidates[i].Name }, cut, null,
                RunControl.Default with { SaveInRunDirectory = false }, "verify", null, cancellation, hasTest: scored);
            var view = RunViews.Of(outcome, candidates[i].Spec);
            double ratio = view.Ratio(atEnd: true).Value;
            var recurrent = view.ProfileLayers(Quantity.TimeGradNorm);
            double timeRatio = recurrent.Count > 0 ? view.AtEnd(Quantity.TimeGradRatio, recurrent[0]) : double.NaN;
            var final = outcome.Epochs[^1];
            raw[i] = (ratio, timeRatio, final.TrainCost, scored ? final.TestAccuracy : final.TrainAccuracy,
                (scored ? final.TestRSquared : final.TrainRSquared) ?? double.NaN, clock.Elapsed.TotalSeconds, outcome.Status);
        });

        var baseline = raw[0];
        VerifiedPrescription Row(int i)
        {
            var r = raw[i];
            double costChange = r.Cost - baseline.Cost;
            double ratioChange = Math.Abs(Math.Log10(baseline.Ratio)) - Math.Abs(Math.Log10(r.Ratio));
            double timeChange = Math.Abs(Math.Log10(baseline.TimeRatio)) - Math.Abs(Math.Log10(r.TimeRatio));
            bool failed = r.Status != RunStatus.Complete || !double.IsFinite(r.Cost);
            bool baselineFailed = baseline.Status != RunStatus.Complete || !double.IsFinite(baseline.Cost);
            bool rescued = i > 0 && baselineFailed && !failed;
            bool lowerCost = costChange < -0.02 * Math.Abs(baseline.Cost);
            bool noWorse = costChange <= 0.02 * Math.Abs(baseline.Cost);
            bool balanced = ratioChange > 0.3 && noWorse;
            // Through time: the first step's gradient 0.3 decades (2×) closer to the last step's.
            bool evenInTime = timeChange > 0.3 && noWorse;
            bool helped = i > 0 && !failed && (rescued || lowerCost || balanced || evenInTime);
            string verdict = i == 0 ? "reference"
                : failed ? $"did not help: the run {r.Status}"
                : rescued ? $"helped: the run finished (cost {r.Cost:0.###}) where the unchanged spec {baseline.Status}"
                : lowerCost ? $"helped: cost {r.Cost:0.###} vs {baseline.Cost:0.###}"
                : balanced ? $"helped: layers {ratioChange:0.#} decades closer in speed, cost no worse"
                : evenInTime ? $"helped: the gradient through time {timeChange:0.#} decades closer to even (first ÷ last step {r.TimeRatio.ToString("0.##e+0", CultureInfo.InvariantCulture)}), cost no worse"
                : $"did not help: cost {r.Cost:0.###} vs {baseline.Cost:0.###}";
            var c = candidates[i];
            return new VerifiedPrescription(c.Name, c.Flags, c.Reason, c.Spec with { Name = c.Name }, r.Ratio, r.Cost, r.Accuracy,
                costChange, ratioChange, helped, verdict, r.Seconds, r.Status, r.RSquared, r.TimeRatio, timeChange);
        }
        var results = Enumerable.Range(1, candidates.Count - 1).Select(Row)
            .OrderByDescending(v => v.Helped).ThenBy(v => double.IsFinite(v.Cost) ? v.Cost : double.MaxValue).ToList();
        return (Row(0), results);
    }

    /// <summary>verification.json's content (<see cref="VerificationFile"/>): what a report shows beside the findings.</summary>
    public static VerificationFile ToFile(VerifiedPrescription baseline, IReadOnlyList<VerifiedPrescription> results, int examples)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(results);
        static VerifiedRun Of(VerifiedPrescription p)
        {
            using var spec = System.Text.Json.JsonDocument.Parse(p.Spec.ToJson());
            return new VerifiedRun(p.Name, p.Flags, p.Reason, SpecLine(p.Spec), p.Spec.Training.Eta, p.FirstToLastRatio, p.Cost, p.Accuracy,
                p.CostChange, p.RatioChange, p.Helped, p.Verdict, p.Seconds, p.Status)
            {
                Spec = spec.RootElement.Clone(), RSquared = p.RSquared, TimeRatio = p.TimeRatio, TimeRatioChange = p.TimeRatioChange,
            };
        }
        return new VerificationFile(Of(baseline), [.. results.Select(Of)]) { Examples = examples };
    }

    /// <summary>The spec a verification ran with, in one line: network, optimiser and η, batch, and every remedy setting that is on.</summary>
    public static string SpecLine(ExperimentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var n = spec.Network;
        var t = spec.Training;
        var parts = new List<string> { $"{n} bias {n.BiasInit}" };
        if (n.Normalization != "none") parts.Add($"{n.Normalization} norm");
        if (n.Residual) parts.Add("residual");
        if (n.Recurrent is { } r)
            parts.Add($"{r.Cell}{(r.Kind == Model.RecurrentCellKind.Rnn ? " " + r.Nonlinearity : "")} over {r.Steps} steps, W_hh {r.Init}" +
                (r.ForgetBias is double b ? $", forget bias {Text(b)}" : "") + (r.Bptt > 0 ? $", bptt {r.Bptt}" : "") + (r.EveryStep ? ", outputs every step" : ""));
        parts.Add($"{t.Optimizer} η {Text(t.Eta)}");
        parts.Add($"batch {t.BatchSize}");
        if (t.Lambda != 0) parts.Add($"λ {Text(t.Lambda)}");
        if (t.Optimizer is "kfac" or "k-fac") parts.Add($"damping {Text(t.Damping)}, inverse every {t.KfacInverseEvery}");
        if (t.TrustRatio != 0) parts.Add($"trust ratio {Text(t.TrustRatio)}");
        if (t.ClipNorm != 0) parts.Add($"clip norm {Text(t.ClipNorm)}");
        if (t.ClipValue != 0) parts.Add($"clip value {Text(t.ClipValue)}");
        parts.Add($"{t.Epochs} epoch{(t.Epochs == 1 ? "" : "s")}, seed {spec.Seed}");
        return string.Join(" · ", parts);
    }

    private static string Text(double value) => value.ToString("G4", System.Globalization.CultureInfo.InvariantCulture);
}
