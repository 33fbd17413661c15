using System.Globalization;

namespace Gradscope.Record.TensorBoard;

/// <summary>
/// One TensorBoard event file (<c>events.out.tfevents.&lt;seconds&gt;.&lt;host&gt;.gradscope</c>) in a folder of its
/// own, so that a parent folder of exported runs opens in TensorBoard as one run per folder. Events are protobuf
/// <c>Event</c> messages: wall_time = 1, step = 2, file_version = 3, summary = 5; <c>Summary.Value</c> tag = 1,
/// simple_value = 2, histo = 5; <c>HistogramProto</c> min = 1, max = 2, num = 3, sum = 4, sum_squares = 5,
/// bucket_limit = 6, bucket = 7.
/// </summary>
public sealed class EventFileWriter : IDisposable
{
    private readonly FileStream _stream;
    private readonly ProtoWriter _event = new(), _summary = new(), _value = new(), _histogram = new();
    private byte[] _frame = new byte[512];

    public EventFileWriter(string folder, DateTimeOffset created)
    {
        ArgumentNullException.ThrowIfNull(folder);
        Directory.CreateDirectory(folder);
        string host = new(Environment.MachineName.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '_').ToArray());
        Path = System.IO.Path.Combine(folder, string.Create(CultureInfo.InvariantCulture,
            $"events.out.tfevents.{created.ToUnixTimeSeconds()}.{host}.gradscope"));
        _stream = new FileStream(Path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
        _event.Double(1, Seconds(created));
        _event.String(3, "brain.Event:2");
        WriteRecord(_event.Written);
    }

    public string Path { get; }

    /// <summary>Events written, the file_version event included.</summary>
    public long Count { get; private set; }

    public void Scalar(string tag, long step, double value, DateTimeOffset wallTime)
    {
        _value.Clear();
        _value.String(1, tag);
        _value.Float(2, (float)value);
        WriteSummary(step, wallTime);
    }

    /// <summary>
    /// A histogram of |x| in <see cref="Histogram"/>'s fixed bins: each bucket's limit is its bin's upper edge (the last
    /// is DBL_MAX, as TensorFlow writes it), min and max the edges of the outermost non-empty bins, and sum and
    /// sum_squares estimated from each bin's geometric centre — the record keeps counts, not the values.
    /// </summary>
    public void Histogram(string tag, long step, ReadOnlySpan<double> counts, DateTimeOffset wallTime)
    {
        int bins = counts.Length;
        Span<double> limits = stackalloc double[bins];
        double num = 0, sum = 0, squares = 0;
        int first = -1, last = -1;
        for (int i = 0; i < bins; i++)
        {
            limits[i] = i == bins - 1 ? double.MaxValue : Record.Histogram.LowerEdge(i + 1);
            if (counts[i] <= 0) continue;
            if (first < 0) first = i;
            last = i;
            double centre = Centre(i, bins);
            num += counts[i];
            sum += counts[i] * centre;
            squares += counts[i] * centre * centre;
        }
        _histogram.Clear();
        _histogram.Double(1, first < 0 ? 0 : Record.Histogram.LowerEdge(first));
        _histogram.Double(2, last < 0 ? 0 : last == bins - 1 ? Record.Histogram.LowerEdge(last) : Record.Histogram.LowerEdge(last + 1));
        _histogram.Double(3, num);
        _histogram.Double(4, sum);
        _histogram.Double(5, squares);
        _histogram.PackedDoubles(6, limits);
        _histogram.PackedDoubles(7, counts);
        _value.Clear();
        _value.String(1, tag);
        _value.Bytes(5, _histogram.Written);
        WriteSummary(step, wallTime);
    }

    public void Flush() => _stream.Flush();

    public void Dispose()
    {
        _stream.Flush(flushToDisk: true);
        _stream.Dispose();
    }

    private static double Centre(int bin, int bins) =>
        bin == 0 ? 0 : bin == bins - 1 ? Record.Histogram.LowerEdge(bin)
            : Math.Sqrt(Record.Histogram.LowerEdge(bin) * Record.Histogram.LowerEdge(bin + 1));

    private static double Seconds(DateTimeOffset t) => t.ToUnixTimeMilliseconds() / 1000.0;

    private void WriteSummary(long step, DateTimeOffset wallTime)
    {
        _summary.Clear();
        _summary.Bytes(1, _value.Written);
        _event.Clear();
        _event.Double(1, Seconds(wallTime));
        _event.Int64(2, step);
        _event.Bytes(5, _summary.Written);
        WriteRecord(_event.Written);
    }

    private void WriteRecord(ReadOnlySpan<byte> data)
    {
        if (_frame.Length < data.Length + EventRecord.Overhead) _frame = new byte[(data.Length + EventRecord.Overhead) * 2];
        int n = EventRecord.Frame(data, _frame);
        _stream.Write(_frame, 0, n);
        Count++;
    }
}
