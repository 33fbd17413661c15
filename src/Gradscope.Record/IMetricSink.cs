namespace Gradscope.Record;

/// <summary>Where probes put their records: a run's metrics.jsonl, or memory.</summary>
public interface IMetricSink
{
    void Add(in MetricRecord record);

    /// <summary>Adds a step's records at once (one lock instead of one per record, for sinks that lock).</summary>
    void AddRange(ReadOnlySpan<MetricRecord> records)
    {
        foreach (ref readonly var record in records) Add(record);
    }
}
