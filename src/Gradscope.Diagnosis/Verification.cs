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
public sealed record VerifiedPrescription(string Name, string Flags, string Reason, ExperimentSpec Spec, double FirstToLastRatio, double Cost,
    double Accuracy, double CostChange, double RatioChange, bool Helped, string Verdict, double Seconds, string Status,
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
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(remedies);
        if (budgetExamples < 1) throw new ArgumentException($"Invalid verification budget: {budgetExamples} examples.");
        var data = train.Take(Math.Min(budgetExamples, train.Count));
        var shortSpec = spec with
        {
            Training = spec.Training with { Epochs = 1, Threads = 1 },
            Probes = ProbeOptions.FromPreset("minimal") with { Reference = "log+every:200", ReferenceSize = Math.Min(500, data.Count) },
        };
        var candidates = new List<(string Name, string Flags, string Reason, ExperimentSpec Spec)> { ("baseline", "", "the spec as it is", shortSpec) };
        candidates.AddRange(remedies.Select(r => (r.Name, r.Flags, r.Reason, r.Apply(shortSpec))));
        var raw = new (double Ratio, double TimeRatio, double Cost, double Accuracy, double Seconds, string Status)[candidates.Count];
        Parallel.For(0, candidates.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellation }, i =>
        {
            progress?.Report($"verifying {candidates[i].Name} on {data.Count} examples");
            var clock = Stopwatch.StartNew();
            var outcome = ExperimentRunner.Run(candidates[i].Spec with { Name = candidates[i].Name }, data, test, null, "verify", null, cancellation);
            var view = RunViews.Of(outcome, candidates[i].Spec);
            double ratio = view.Ratio(atEnd: true).Value;
            var recurrent = view.ProfileLayers(Quantity.TimeGradNorm);
            double timeRatio = recurrent.Count > 0 ? view.AtEnd(Quantity.TimeGradRatio, recurrent[0]) : double.NaN;
            var final = outcome.Epochs[^1];
            raw[i] = (ratio, timeRatio, final.TrainCost, test is null ? final.TrainAccuracy : final.TestAccuracy, clock.Elapsed.TotalSeconds, outcome.Status);
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
                costChange, ratioChange, helped, verdict, r.Seconds, r.Status, r.TimeRatio, timeChange);
        }
        var results = Enumerable.Range(1, candidates.Count - 1).Select(Row)
            .OrderByDescending(v => v.Helped).ThenBy(v => double.IsFinite(v.Cost) ? v.Cost : double.MaxValue).ToList();
        return (Row(0), results);
    }
}
