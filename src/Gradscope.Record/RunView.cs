namespace Gradscope.Record;

/// <summary>
/// The one reader of a run's measurements: every view — progress line, terminal tables, <c>inspect</c>, the HTML
/// report, sweep pages, the doctor, reproductions, <c>export</c> — takes its numbers from here, so one quantity of
/// one layer reads the same everywhere. It alone defines
/// <list type="bullet">
/// <item><see cref="AtInit"/>: the first measurement;</item>
/// <item><see cref="AtEnd"/>: the last measurement, which is the run's final step (probe schedules always include it);</item>
/// <item><see cref="Typical"/>: <see cref="Means.Typical"/> over the run or a <see cref="RunWindow"/>;</item>
/// <item><see cref="SpeedQuantity"/> and <see cref="Ratio"/>: Nielsen's speed of learning and the
/// <see cref="Record.SpeedRatio.Name"/> ratio.</item>
/// </list>
/// </summary>
public sealed partial class RunView
{
    private readonly Dictionary<(string Quantity, int Layer), List<MetricRecord>> _groups = [];

    /// <summary>A run directory read back.</summary>
    public RunView(RunRecord run) : this((run ?? throw new ArgumentNullException(nameof(run))).Info.Layers, run.Metrics, run.Epochs)
    {
        Run = run;
        Cost = run.Info.Cost;
    }

    /// <summary>Records kept in memory (reproductions, remedies, verification, pre-flight) with the layers they describe.</summary>
    public RunView(IReadOnlyList<LayerDescriptor> layers, IEnumerable<MetricRecord> metrics, IReadOnlyList<EpochSummary>? epochs = null)
    {
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(metrics);
        Layers = layers;
        Epochs = epochs ?? [];
        Add(metrics, inPlace: false);
        // Stable: records of one step keep their file order (several Jacobian inputs, say). A run's records come in
        // step order, so the sort is nearly always skipped.
        foreach (var list in _groups.Values)
        {
            if (InStepOrder(list)) continue;
            var sorted = list.OrderBy(r => r.Step).ToList();
            list.Clear();
            list.AddRange(sorted);
        }
        SpeedQuantity = SpeedOf(Has(Quantity.ReferenceBiasGradNorm));
    }

    /// <summary>The run directory, when the view was made from one.</summary>
    public RunRecord? Run { get; }

    public IReadOnlyList<LayerDescriptor> Layers { get; }

    /// <summary>The cost the run trained with (<see cref="RunInfo.Cost"/>; "" when the view was made without one).</summary>
    public string Cost { get; init; } = "";
    public IReadOnlyList<EpochSummary> Epochs { get; private set; }

    /// <summary>Number of weight layers L; layers 1…L−1 are hidden, L is the output.</summary>
    public int Depth => Layers.Count;

    /// <summary>The last step any quantity was measured at (0 for an empty record).</summary>
    public long LastStep { get; private set; }

    /// <summary>
    /// Nielsen's speed of learning ‖∂C/∂b^l‖: on the fixed reference set when the run measured it (smooth, comparable
    /// across steps), else on the mini-batch.
    /// </summary>
    public string SpeedQuantity { get; private set; }

    /// <summary>The speed-of-learning quantity for a run that did (or did not) measure the reference set.</summary>
    public static string SpeedOf(bool referenceMeasured) => Quantity.SpeedOfLearning(referenceMeasured);

    public bool Has(string quantity) => _groups.Keys.Any(k => k.Quantity == quantity);

    /// <summary>The records of a quantity for one layer (0 = network-wide), in step order.</summary>
    public IReadOnlyList<MetricRecord> Records(string quantity, int layer) =>
        _groups.TryGetValue((quantity, layer), out var list) ? list : [];

    /// <summary>At init: the first measurement (before any update); NaN when never measured.</summary>
    public double AtInit(string quantity, int layer) => Records(quantity, layer) is { Count: > 0 } r ? r[0].Value : double.NaN;

    /// <summary>
    /// At end: the last measurement. Every probe schedule includes the run's final step, so for a finished run this is
    /// the value at that step; for a run that stopped early, the last one it recorded. NaN when never measured.
    /// </summary>
    public double AtEnd(string quantity, int layer) => Records(quantity, layer) is { Count: > 0 } r ? r[^1].Value : double.NaN;

    /// <summary>The step <see cref="AtEnd"/> reads (−1 when never measured).</summary>
    public long EndStep(string quantity, int layer) => Records(quantity, layer) is { Count: > 0 } r ? r[^1].Step : -1;

    /// <summary>The typical value (<see cref="Means.Typical"/>: geometric mean of the finite values) over the run or a window of it.</summary>
    public double Typical(string quantity, int layer, RunWindow window = RunWindow.Run)
    {
        var finite = Records(quantity, layer).Select(r => r.Value).Where(double.IsFinite).ToList();
        int take = Math.Max(1, finite.Count / 5);
        return Means.Typical(window switch
        {
            RunWindow.FirstFifth => finite.Take(take),
            RunWindow.LastFifth => finite.Skip(finite.Count - take),
            _ => finite,
        });
    }

    /// <summary>The speed of learning of layer l at init or at end.</summary>
    public double Speed(int layer, bool atEnd) => atEnd ? AtEnd(SpeedQuantity, layer) : AtInit(SpeedQuantity, layer);

    /// <summary>The <see cref="Record.SpeedRatio.Name"/> speed ratio at init or at end (<see cref="Record.SpeedRatio.Of"/>).</summary>
    public SpeedRatio Ratio(bool atEnd) => Record.SpeedRatio.Of([.. Enumerable.Range(1, Depth).Select(l => Speed(l, atEnd))]);

    /// <summary>The last hidden layer, L−1 (the denominator of the speed ratio); 0 when there is none.</summary>
    public int LastHidden => Depth - 1;

    /// <summary>How a layer is named in tables and legends.</summary>
    public string LayerName(int l) => l == Depth ? $"output ({l})" : $"layer {l}";
}
