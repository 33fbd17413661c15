using Gradscope.Training;

namespace Gradscope.Probes.Time;

/// <summary>The records of one measured step, buffered and handed to the sink together.</summary>
internal sealed class TimeRecords
{
    private MetricRecord[] _buffer = new MetricRecord[1024];
    private int _count;

    public StepInfo Step { get; set; }

    /// <summary>A per-layer value (no time index).</summary>
    public void Emit(int layer, string quantity, double value) => Add(new MetricRecord(Step.Step, Step.Epoch, layer, quantity, value));

    /// <summary>A value at time step t.</summary>
    public void Emit(int layer, string quantity, int t, double value) => Add(new MetricRecord(Step.Step, Step.Epoch, layer, quantity, value, T: t));

    private void Add(in MetricRecord record)
    {
        if (_count == _buffer.Length) Array.Resize(ref _buffer, 2 * _buffer.Length);
        _buffer[_count++] = record;
    }

    public void Flush(IMetricSink sink)
    {
        if (_count == 0) return;
        sink.AddRange(_buffer.AsSpan(0, _count));
        _count = 0;
    }
}
