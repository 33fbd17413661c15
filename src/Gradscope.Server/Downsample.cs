namespace Gradscope.Server;

/// <summary>
/// Reduces a series for drawing on the server, so a run of millions of records opens fast: the records in a step
/// range are split into buckets and each bucket keeps its smallest and largest value (in step order), so spikes
/// survive where a mean would hide them. A range with few records comes back whole — zooming in gives full resolution.
/// </summary>
internal static class Downsample
{
    public sealed record Series(long[] Steps, double?[] Values, int Total);

    public static Series Of(IReadOnlyList<MetricRecord> records, double from, double to, int points)
    {
        int lo = Lower(records, from), hi = Lower(records, Math.Floor(to) + 1); // [lo, hi): steps in [from, to]
        int count = Math.Max(0, hi - lo);
        if (count <= points)
        {
            var steps = new long[count];
            var values = new double?[count];
            for (int i = 0; i < count; i++) (steps[i], values[i]) = (records[lo + i].Step, Finite(records[lo + i].Value));
            return new Series(steps, values, count);
        }
        int buckets = Math.Max(1, points / 2);
        var s = new List<long>(buckets * 2);
        var v = new List<double?>(buckets * 2);
        for (int b = 0; b < buckets; b++)
        {
            int start = lo + (int)((long)count * b / buckets), end = lo + (int)((long)count * (b + 1) / buckets);
            int min = -1, max = -1;
            for (int i = start; i < end; i++)
            {
                double x = records[i].Value;
                if (!double.IsFinite(x)) continue;
                if (min < 0 || x < records[min].Value) min = i;
                if (max < 0 || x > records[max].Value) max = i;
            }
            if (min < 0)
            {
                s.Add(records[start].Step);
                v.Add(null); // a gap, not a made-up value
                continue;
            }
            foreach (int i in min == max ? new[] { min } : min < max ? new[] { min, max } : new[] { max, min })
            {
                s.Add(records[i].Step);
                v.Add(records[i].Value);
            }
        }
        return new Series([.. s], [.. v], count);
    }

    /// <summary>Evenly spaced picks of at most <paramref name="points"/> of <paramref name="count"/> items, first and last included.</summary>
    public static IEnumerable<int> Picks(int count, int points)
    {
        if (count <= points)
        {
            for (int i = 0; i < count; i++) yield return i;
            yield break;
        }
        for (int k = 0; k < points; k++) yield return (int)Math.Round((count - 1) * (double)k / (points - 1));
    }

    public static double? Finite(double v) => double.IsFinite(v) ? v : null;

    private static int Lower(IReadOnlyList<MetricRecord> records, double step)
    {
        int lo = 0, hi = records.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (records[mid].Step < step) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}
