namespace Gradscope.Record;

public sealed partial class RunView
{
    /// <summary>
    /// A live view grows: records appended as a run writes them (<see cref="MetricsTail"/>) join their series in step
    /// order, so at init, at end, typical values and the speed ratio keep their one definition while a run trains.
    /// Not thread-safe: a caller that reads while another thread appends holds one lock for both.
    /// </summary>
    public void Append(IEnumerable<MetricRecord> metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        Add(metrics, inPlace: true);
        SpeedQuantity = SpeedOf(Has(Quantity.ReferenceBiasGradNorm));
    }

    /// <summary>The per-epoch summary as it stands now (summary.json is rewritten after every epoch).</summary>
    public void SetEpochs(IReadOnlyList<EpochSummary> epochs) => Epochs = epochs ?? throw new ArgumentNullException(nameof(epochs));

    /// <summary>The (quantity, layer) pairs recorded, in no particular order.</summary>
    public IEnumerable<(string Quantity, int Layer)> Series => _groups.Keys;

    private static int UpperBound(List<MetricRecord> list, long step)
    {
        int lo = 0, hi = list.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (list[mid].Step <= step) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}
