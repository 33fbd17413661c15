namespace Gradscope.Probes;

/// <summary>Where probes put their records: a run's metrics.jsonl, or memory.</summary>
public interface IMetricSink
{
    void Add(in MetricRecord record);
}
