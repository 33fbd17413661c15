namespace Gradscope.Bench;

/// <summary>
/// The open path as it was before the metrics scanner (commit 15413a7), kept only as the "before" of
/// <see cref="OpenBench"/>: metrics.jsonl tailed and parsed by the general JSON reader
/// (<see cref="MetricsJsonl.ParseAny"/>) into a list that grows by doubling, then grouped into series by a dictionary
/// lookup per record (the live view), or read whole and each series sorted (a run directory).
/// </summary>
internal static class LegacyOpen
{
    /// <summary>The dashboard's path: MetricsTail.ReadNew, then RunView.Append.</summary>
    public static int Live(string path)
    {
        var into = new List<MetricRecord>();
        ReadNew(path, into);
        var groups = new Dictionary<(string Quantity, int Layer), List<MetricRecord>>();
        foreach (var m in into)
        {
            if (!groups.TryGetValue((m.Quantity, m.Layer), out var list)) groups[(m.Quantity, m.Layer)] = list = [];
            list.Add(m);
        }
        return groups.Count;
    }

    /// <summary>RunRecord.Load's metrics, then the RunView constructor's grouping and stable sort.</summary>
    public static int Whole(string path)
    {
        var metrics = new List<MetricRecord>();
        using (var stream = File.OpenRead(path))
        {
            var buffer = new byte[1 << 20];
            int filled = 0;
            while (true)
            {
                int n = stream.Read(buffer, filled, buffer.Length - filled);
                filled += n;
                int consumed = 0;
                while (buffer.AsSpan(consumed, filled - consumed).IndexOf((byte)'\n') is var end and >= 0)
                {
                    if (MetricsJsonl.ParseAny(buffer.AsSpan(consumed, end), out _) is { } record) metrics.Add(record);
                    consumed += end + 1;
                }
                buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                filled -= consumed;
                if (n == 0) break;
            }
        }
        var groups = new Dictionary<(string Quantity, int Layer), List<MetricRecord>>();
        foreach (var m in metrics)
        {
            if (!groups.TryGetValue((m.Quantity, m.Layer), out var list)) groups[(m.Quantity, m.Layer)] = list = [];
            list.Add(m);
        }
        foreach (var key in groups.Keys.ToList()) groups[key] = [.. groups[key].OrderBy(r => r.Step)];
        return groups.Count;
    }

    private static void ReadNew(string path, List<MetricRecord> into)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
        long length = stream.Length;
        var buffer = new byte[(int)Math.Min(1 << 22, length)];
        int carried = 0;
        while (true)
        {
            int read = stream.Read(buffer, carried, buffer.Length - carried);
            int filled = carried + read;
            if (read == 0) break;
            var span = buffer.AsSpan(0, filled);
            int last = span.LastIndexOf((byte)'\n');
            Parse(buffer, last, into);
            carried = filled - (last + 1);
            span[(last + 1)..].CopyTo(buffer);
        }
    }

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
            if (MetricsJsonl.ParseAny(line, out _) is { } record) into.Add(record);
            bytes = end < 0 ? default : bytes[(end + 1)..];
        }
    }
}
