using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Gradscope.Record;

public sealed partial class RunView
{
    private const int RecentSlots = 64;

    /// <summary>
    /// The last series used per slot, keyed by the name string's identity: a record's series is then found without
    /// hashing its name, and names read back from a file are interned, so a million records hit this nearly always.
    /// </summary>
    private readonly (string? Quantity, int Layer, List<MetricRecord>? Records)[] _recent = new (string?, int, List<MetricRecord>?)[RecentSlots];

    /// <summary>
    /// Adds records to their series and time-step records to their profiles. <paramref name="inPlace"/>: a record
    /// out of step order goes after the records of its step, where a stable sort would put it (a live view); otherwise
    /// it is appended and the caller sorts once.
    /// </summary>
    private void Add(IEnumerable<MetricRecord> metrics, bool inPlace)
    {
        if (metrics is List<MetricRecord> list)
        {
            var span = CollectionsMarshal.AsSpan(list);
            if (span.Length >= 4096) Reserve(span);
            foreach (ref readonly var m in span) Add(m, inPlace);
        }
        else foreach (var m in metrics) Add(m, inPlace);
    }

    private void Add(in MetricRecord m, bool inPlace)
    {
        LastStep = Math.Max(LastStep, m.Step);
        if (m.T is not null)
        {
            AddTimed(m); // a time step's record joins its profile, not the layer's series
            return;
        }
        var series = SeriesOf(m);
        if (!inPlace || series.Count == 0 || series[^1].Step <= m.Step) series.Add(m);
        else series.Insert(UpperBound(series, m.Step), m);
    }

    /// <summary>Grows each series once for a large batch, rather than through a doubling (and a copy) per power of two.</summary>
    private void Reserve(ReadOnlySpan<MetricRecord> metrics)
    {
        var counts = new Dictionary<List<MetricRecord>, int>(ReferenceEqualityComparer.Instance);
        foreach (ref readonly var m in metrics)
        {
            if (m.T is not null) continue;
            ref int n = ref CollectionsMarshal.GetValueRefOrAddDefault(counts, SeriesOf(m), out _);
            n++;
        }
        foreach (var (series, n) in counts) series.EnsureCapacity(series.Count + n);
    }

    private List<MetricRecord> SeriesOf(in MetricRecord m)
    {
        int slot = (RuntimeHelpers.GetHashCode(m.Quantity) ^ (m.Layer * 31)) & (RecentSlots - 1);
        ref var recent = ref _recent[slot];
        if (ReferenceEquals(recent.Quantity, m.Quantity) && recent.Layer == m.Layer) return recent.Records!;
        if (!_groups.TryGetValue((m.Quantity, m.Layer), out var series)) _groups[(m.Quantity, m.Layer)] = series = [];
        recent = (m.Quantity, m.Layer, series);
        return series;
    }

    private static bool InStepOrder(List<MetricRecord> series)
    {
        var span = CollectionsMarshal.AsSpan(series);
        for (int i = 1; i < span.Length; i++) if (span[i].Step < span[i - 1].Step) return false;
        return true;
    }
}
