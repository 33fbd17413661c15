
namespace Gradscope.Reports;

/// <summary>
/// A run's metrics grouped once by (quantity, layer), so figures and tables don't rescan millions of records,
/// with the reductions reports need: a window at init or at the end, and a series thinned for plotting.
/// </summary>
internal sealed class RunIndex
{
    private readonly Dictionary<(string Quantity, int Layer), List<MetricRecord>> _groups = [];

    public RunIndex(RunRecord run)
    {
        Run = run;
        foreach (var m in run.Metrics)
        {
            if (!_groups.TryGetValue((m.Quantity, m.Layer), out var list)) _groups[(m.Quantity, m.Layer)] = list = [];
            list.Add(m);
        }
        foreach (var list in _groups.Values) list.Sort((a, b) => a.Step.CompareTo(b.Step));
    }

    public RunRecord Run { get; }

    /// <summary>Number of weight layers L; layers 1…L−1 are hidden, L is the output.</summary>
    public int Depth => Run.Info.Depth;

    public bool Has(string quantity) => _groups.Keys.Any(k => k.Quantity == quantity);

    public IReadOnlyList<MetricRecord> Records(string quantity, int layer) =>
        _groups.TryGetValue((quantity, layer), out var list) ? list : [];

    /// <summary>
    /// Nielsen's speed of learning: ‖∂C/∂b^l‖ on the fixed reference set when it was measured (smooth, comparable
    /// across steps), else on the mini-batch.
    /// </summary>
    public string SpeedQuantity => Quantity.SpeedOfLearning(Has(Quantity.ReferenceBiasGradNorm));

    /// <summary>
    /// A quantity at init (the first measured step) or at the end. Mini-batch quantities are noisy, so the end
    /// value is the mean over the last tenth of the measured steps (at most 50), geometric for positive
    /// ratio-like quantities; the init value is the first measurement alone (before any update).
    /// </summary>
    public double At(string quantity, int layer, bool end, bool geometric = true)
    {
        var records = Records(quantity, layer);
        if (records.Count == 0) return double.NaN;
        if (!end) return records[0].Value;
        if (quantity == Quantity.ReferenceBiasGradNorm || quantity == Quantity.ReferenceWeightGradNorm) return records[^1].Value;
        int window = Math.Clamp(records.Count / 10, 1, 50);
        var tail = records.Skip(records.Count - window).Select(r => r.Value).Where(double.IsFinite).ToList();
        if (tail.Count == 0) return records[^1].Value;
        return geometric ? Means.Typical(tail) : tail.Average();
    }

    /// <summary>A scalar series reduced to at most <paramref name="points"/> bucket means of f(value), NaNs skipped.</summary>
    public (double[] Steps, double[] Values) Thinned(string quantity, int layer, Func<double, double> f, int points = 400)
    {
        var records = Records(quantity, layer);
        if (records.Count <= points)
        {
            // Non-finite points (a run that blew up, log of zero) are left out rather than handed to the plot.
            var kept = records.Select(r => (Step: (double)r.Step, Value: f(r.Value))).Where(p => double.IsFinite(p.Value)).ToList();
            return (kept.Select(p => p.Step).ToArray(), kept.Select(p => p.Value).ToArray());
        }
        var steps = new List<double>(points);
        var values = new List<double>(points);
        for (int b = 0; b < points; b++)
        {
            int from = (int)((long)records.Count * b / points), to = (int)((long)records.Count * (b + 1) / points);
            double sum = 0, stepSum = 0;
            int n = 0;
            for (int i = from; i < to; i++)
            {
                double v = f(records[i].Value);
                if (!double.IsFinite(v)) continue;
                sum += v;
                stepSum += records[i].Step;
                n++;
            }
            if (n == 0) continue;
            steps.Add(stepSum / n);
            values.Add(sum / n);
        }
        return (steps.ToArray(), values.ToArray());
    }

    /// <summary>Vector records (histograms, spectra) at the first and last step they were measured.</summary>
    public (MetricRecord First, MetricRecord Last)? FirstAndLastVector(string quantity, int layer, int index = 0)
    {
        var records = Records(quantity, layer).Where(r => r.Values is { Length: > 0 } && r.Index == index).ToList();
        if (records.Count == 0) return null;
        return (records[0], records[^1]);
    }

    public string LayerName(int l) => l == Depth ? $"output ({l})" : $"layer {l}";
}
