namespace Gradscope.Record.TensorBoard;

/// <summary>
/// Writes TensorBoard events as a run's records arrive (<c>train --tensorboard</c>), beside the run directory's own
/// writer (<see cref="TeeSink"/>). Events are flushed at most <see cref="FlushInterval"/> apart and after each epoch,
/// so TensorBoard shows a live run; the speed of learning is tagged as the run will read it
/// (<see cref="RunView.SpeedOf"/>: on the reference set when the probes measure it).
/// </summary>
public sealed class TensorBoardSink(EventFileWriter writer, bool referenceMeasured) : IMetricSink, IEpochSink, IDisposable
{
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(500);

    private readonly object _gate = new();
    private readonly string _speed = RunView.SpeedOf(referenceMeasured);
    private long _lastFlush = Environment.TickCount64;
    private bool _disposed;

    public string Path => writer.Path;

    public void Add(in MetricRecord record) => AddRange(new ReadOnlySpan<MetricRecord>(in record));

    public void AddRange(ReadOnlySpan<MetricRecord> records)
    {
        lock (_gate)
        {
            var now = DateTimeOffset.UtcNow;
            foreach (ref readonly var r in records) TensorBoardTags.Write(writer, r, _speed, now);
            if (Environment.TickCount64 - _lastFlush >= FlushInterval.TotalMilliseconds) FlushLocked();
        }
    }

    public void AddEpoch(EpochSummary summary)
    {
        lock (_gate)
        {
            TensorBoardTags.WriteEpoch(writer, summary, DateTimeOffset.UtcNow);
            FlushLocked();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            writer.Dispose();
        }
    }

    private void FlushLocked()
    {
        writer.Flush();
        _lastFlush = Environment.TickCount64;
    }
}
