namespace Gradscope.Record;

/// <summary>Passes every record to two sinks in turn: a run directory and a TensorBoard event file while training.</summary>
public sealed class TeeSink(IMetricSink first, IMetricSink second) : IMetricSink
{
    public void Add(in MetricRecord record)
    {
        first.Add(record);
        second.Add(record);
    }

    public void AddRange(ReadOnlySpan<MetricRecord> records)
    {
        first.AddRange(records);
        second.AddRange(records);
    }
}
