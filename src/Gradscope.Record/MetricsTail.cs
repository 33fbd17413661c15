namespace Gradscope.Record;

/// <summary>
/// Reads metrics.jsonl incrementally while a run writes it: each call parses only the bytes appended since the last,
/// up to the last complete line — a partial last line (the writer mid-flush, or a run killed mid-write) waits for its
/// newline. A file that became shorter than what was read (rewritten) is read again from the start.
/// </summary>
public sealed class MetricsTail(string path)
{
    private const int ChunkBytes = 1 << 22;

    public string Path { get; } = path ?? throw new ArgumentNullException(nameof(path));

    /// <summary>Bytes consumed so far: everything up to and including the last complete line read.</summary>
    public long Offset { get; private set; }

    /// <summary>
    /// Parses the complete lines appended since the last call into <paramref name="into"/>; returns how many records
    /// were added, and whether the file was found rewritten (the caller then drops what it had and keeps these).
    /// </summary>
    public (int Added, bool Restarted) ReadNew(List<MetricRecord> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        if (!File.Exists(Path)) return (0, false);
        using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
        long length = stream.Length;
        bool restarted = length < Offset;
        if (restarted) Offset = 0;
        if (length == Offset) return (0, restarted);
        stream.Position = Offset;
        long start = Offset;
        int before = into.Count;
        var buffer = new byte[(int)Math.Min(ChunkBytes, length - Offset)];
        int carried = 0;
        while (true)
        {
            int read = stream.Read(buffer, carried, buffer.Length - carried);
            int filled = carried + read;
            if (read == 0) break;
            var span = buffer.AsSpan(0, filled);
            int last = span.LastIndexOf((byte)'\n');
            if (last < 0)
            {
                // One line longer than the buffer (a huge vector): grow and keep reading.
                if (filled == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
                carried = filled;
                continue;
            }
            Parse(buffer, last, into);
            Offset += last + 1;
            Reserve(into, into.Count - before, Offset - start, length - Offset);
            carried = filled - (last + 1);
            span[(last + 1)..].CopyTo(buffer);
        }
        return (into.Count - before, restarted);
    }

    /// <summary>
    /// Sizes the list for the records still to read, at the bytes per record read so far: a million records then grow
    /// the list once or twice rather than through a doubling, and a copy, per power of two.
    /// </summary>
    internal static void Reserve(List<MetricRecord> into, int records, long bytesRead, long bytesLeft)
    {
        if (records <= 0 || bytesLeft <= 0) return;
        double expected = into.Count + bytesLeft / ((double)bytesRead / records);
        // Lines grow a little as step numbers gain digits: 10% spare, so the estimate rarely has to be raised.
        if (into.Capacity < expected) into.Capacity = (int)Math.Min(Array.MaxLength, expected * 1.1);
    }

    /// <summary>
    /// Parses a block of whole lines; a large block in pieces on several cores (a run of a million records opens in
    /// about half the time on two), each piece cut at a newline and the pieces' records kept in file order.
    /// </summary>
    private static void Parse(byte[] buffer, int length, List<MetricRecord> into)
    {
        var block = buffer.AsSpan(0, length);
        int pieces = Math.Min(Environment.ProcessorCount, block.Length / (1 << 20));
        if (pieces < 2)
        {
            ParseLines(block, into);
            return;
        }
        var bounds = new int[pieces + 1];
        bounds[pieces] = block.Length;
        for (int i = 1; i < pieces; i++)
        {
            int at = Math.Max(bounds[i - 1], (int)((long)block.Length * i / pieces));
            int newline = block[at..].IndexOf((byte)'\n');
            bounds[i] = newline < 0 ? block.Length : at + newline + 1;
        }
        var parts = new List<MetricRecord>[pieces];
        Parallel.For(0, pieces, i =>
        {
            parts[i] = new List<MetricRecord>((bounds[i + 1] - bounds[i]) / 64);
            ParseLines(buffer.AsSpan(bounds[i], bounds[i + 1] - bounds[i]), parts[i]);
        });
        foreach (var part in parts) into.AddRange(part);
    }

    private static void ParseLines(ReadOnlySpan<byte> bytes, List<MetricRecord> into)
    {
        while (!bytes.IsEmpty)
        {
            int end = bytes.IndexOf((byte)'\n');
            var line = end < 0 ? bytes : bytes[..end];
            if (MetricsJsonl.Parse(line) is { } record) into.Add(record);
            bytes = end < 0 ? default : bytes[(end + 1)..];
        }
    }
}
