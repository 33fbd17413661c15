namespace Gradscope.Record;

/// <summary>
/// A sink that passes every record on and remembers the newest record of a few quantities per layer, so a live view
/// (the progress line) reads the same measurements the record keeps, not a number of its own.
/// </summary>
public sealed class LatestValues(IMetricSink inner, params string[] quantities) : IMetricSink
{
    private readonly Dictionary<(string Quantity, int Layer), MetricRecord> _latest = [];

    public void Add(in MetricRecord record)
    {
        inner.Add(record);
        Keep(record);
    }

    public void AddRange(ReadOnlySpan<MetricRecord> records)
    {
        inner.AddRange(records);
        foreach (ref readonly var record in records) Keep(record);
    }

    /// <summary>The newest record of a quantity for a layer, or null when none came.</summary>
    public MetricRecord? Latest(string quantity, int layer)
    {
        lock (_latest) return _latest.TryGetValue((quantity, layer), out var r) ? r : null;
    }

    public bool Has(string quantity)
    {
        lock (_latest) return _latest.Keys.Any(k => k.Quantity == quantity);
    }

    private void Keep(in MetricRecord record)
    {
        if (Array.IndexOf(quantities, record.Quantity) < 0) return;
        lock (_latest) _latest[(record.Quantity, record.Layer)] = record;
    }
}
