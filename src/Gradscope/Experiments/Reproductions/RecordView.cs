using Gradscope.Probes;

namespace Gradscope.Experiments.Reproductions;

/// <summary>A run's metrics, from memory or from its directory, with per-layer look-ups.</summary>
internal sealed class RecordView
{
    private readonly ILookup<string, MetricRecord> _byQuantity;

    public RecordView(RunOutcome outcome)
    {
        var records = outcome.Directory is null ? outcome.Memory!.Records : RunRecord.Load(outcome.Directory).Metrics;
        _byQuantity = records.ToLookup(r => r.Quantity);
        Epochs = outcome.Epochs;
    }

    public IReadOnlyList<EpochSummary> Epochs { get; }

    /// <summary>The quantity at layer l at the first (or last) step it was measured; NaN if never.</summary>
    public double At(string quantity, int layer, bool last = false)
    {
        var series = _byQuantity[quantity].Where(r => r.Layer == layer).ToList();
        if (series.Count == 0) return double.NaN;
        return last ? series.MaxBy(r => r.Step).Value : series.MinBy(r => r.Step).Value;
    }

    public double[] ByLayer(string quantity, int depth, bool last = false) =>
        Enumerable.Range(1, depth).Select(l => At(quantity, l, last)).ToArray();
}
