using System.Globalization;

namespace Gradscope.Diagnosis;

/// <summary>
/// Reads a run's metrics and says what is wrong, with the numbers, the mechanism and ranked remedies. It tells
/// vanishing (early layers orders of magnitude slower while the cost is still high) from convergence (small
/// gradients everywhere on a low plateau), and says which factor of the backward gain — σ'(z) or the weights —
/// is responsible.
/// </summary>
public static partial class Doctor
{
    public static IReadOnlyList<Finding> Diagnose(DiagnosisInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var view = new MetricView(input);
        var findings = new List<Finding>();
        bool converged = !input.AtInit && Converged(input, view, findings);
        NonFinite(input, view, findings);
        if (!converged)
        {
            VanishingOrExploding(input, view, findings);
            Growth(input, view, findings);
        }
        Saturation(input, view, findings);
        DeadUnits(input, view, findings);
        UpdateRatios(input, view, findings);
        Noise(input, view, findings);
        return findings.OrderBy(f => Severity.Rank(f.Severity)).ToList();
    }

    private static string N(double v) => Numbers.Short(v);

    private static string Layers(IEnumerable<int> layers) => string.Join(", ", layers);

    private static Finding Make(string kind, string severity, string title, string evidence, string explanation,
        IEnumerable<string> remedies, Dictionary<string, double> numbers, IEnumerable<int> layers) =>
        new(kind, severity, title, evidence, explanation, remedies.Where(Experiments.RemedyRegistry.Contains).Distinct().ToList(), numbers, layers.ToList());

    /// <summary>Per-layer views of the metrics: values at the start and end of training, and geometric means.</summary>
    private sealed class MetricView
    {
        private readonly ILookup<(string, int), MetricRecord> _series;

        public MetricView(DiagnosisInput input)
        {
            _series = input.Metrics.ToLookup(m => (m.Quantity, m.Layer));
            Depth = input.Layers.Count;
            Hidden = Math.Max(0, Depth - 1);
            MaxStep = input.Metrics.Count == 0 ? 0 : input.Metrics.Max(m => m.Step);
        }

        public int Depth { get; }
        public int Hidden { get; }
        public long MaxStep { get; }

        public IReadOnlyList<MetricRecord> Series(string quantity, int layer) => _series[(quantity, layer)].OrderBy(m => m.Step).ToList();

        /// <summary>Geometric mean (arithmetic for non-positive data) over the first or last fifth of the measurements.</summary>
        public double Window(string quantity, int layer, bool end)
        {
            var s = Series(quantity, layer).Where(m => double.IsFinite(m.Value)).ToList();
            if (s.Count == 0) return double.NaN;
            int take = Math.Max(1, s.Count / 5);
            var window = end ? s.Skip(s.Count - take) : s.Take(take);
            return Means.Typical(window.Select(m => m.Value));
        }

        public double Mean(string quantity, int layer) => Means.Typical(_series[(quantity, layer)].Select(m => m.Value));

        /// <summary>The speed-of-learning quantity to use: on the reference set if measured, else the mini-batch.</summary>
        public string Speed => Quantity.SpeedOfLearning(_series.Contains((Quantity.ReferenceBiasGradNorm, 1)));
    }
}
