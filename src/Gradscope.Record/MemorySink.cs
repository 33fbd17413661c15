namespace Gradscope.Record;

/// <summary>Keeps records in memory (tests, sweeps, in-process experiments).</summary>
public sealed class MemorySink : IMetricSink
{
    private readonly List<MetricRecord> _records = [];

    public IReadOnlyList<MetricRecord> Records => _records;

    public void Add(in MetricRecord record)
    {
        lock (_records) _records.Add(record);
    }

    public void AddRange(ReadOnlySpan<MetricRecord> records)
    {
        lock (_records) _records.AddRange(records);
    }

    /// <summary>Records of one quantity (and layer, unless null) in step order.</summary>
    public IEnumerable<MetricRecord> Of(string quantity, int? layer = null) =>
        _records.Where(r => r.Quantity == quantity && (layer is null || r.Layer == layer));
}
