using ScottPlot;

namespace Gradscope.Reports;

/// <summary>
/// The figures of one run, each a ScottPlot <see cref="Plot"/> ready to style further or save. A figure whose
/// data the run did not record (no histograms under the minimal probe preset, say) is null, never drawn empty.
/// Reads only the run record.
/// </summary>
public sealed partial class Figures
{
    private readonly RunIndex _index;

    public Figures(RunRecord run) : this(new RunIndex(run ?? throw new ArgumentNullException(nameof(run))))
    {
    }

    internal Figures(RunIndex index) => _index = index;

    public RunRecord Run => _index.Run;

    /// <summary>Hidden layers 1…L−1 (Nielsen's figures), or the single weight layer of a net without hidden layers.</summary>
    private int[] HiddenLayers => _index.HiddenLayers;

    private string SpeedSource => _index.SpeedQuantity == Quantity.ReferenceBiasGradNorm
        ? $"on {Run.Info.Data.Reference:N0} reference examples"
        : "on the mini-batch";

    private const string SpeedLabel = "speed of learning ‖∂C/∂bˡ‖";

    /// <summary>Nielsen's figure: speed of learning ‖∂C/∂b^l‖ of each hidden layer at init and at the end (log scale).</summary>
    public Plot? SpeedOfLearningByLayer()
    {
        string q = _index.SpeedQuantity;
        var layers = HiddenLayers;
        var init = layers.Select(l => _index.View.AtInit(q, l)).ToArray();
        var end = layers.Select(l => _index.View.AtEnd(q, l)).ToArray();
        var logs = init.Concat(end).Select(FigureStyle.Log10).Where(double.IsFinite).ToList();
        if (logs.Count == 0) return null;
        var plt = FigureStyle.NewPlot($"Speed of learning by layer ({SpeedSource})", "hidden layer l", SpeedLabel);
        double floor = Math.Floor(logs.Min()) - 0.5;
        var groups = new[] { ("at init", init, FigureStyle.Series(0)), ("at end", end, FigureStyle.Series(1)) };
        for (int g = 0; g < groups.Length; g++)
        {
            var (label, values, color) = groups[g];
            var bars = values.Select((v, i) => new Bar
            {
                Position = layers[i] + (g - 0.5) * 0.36,
                Value = FigureStyle.Log10(v),
                ValueBase = floor,
                Size = 0.34,
                FillColor = color,
                LineWidth = 0,
                Label = double.IsFinite(FigureStyle.Log10(v)) ? Format.Short(v) : "",
            }).Where(b => double.IsFinite(b.Value)).ToList();
            var plottable = plt.Add.Bars(bars);
            plottable.LegendText = label;
            plottable.ValueLabelStyle.FontSize = 11;
            plottable.ValueLabelStyle.FontName = "DejaVu Sans";
        }
        plt.Axes.Bottom.SetTicks(layers.Select(l => (double)l).ToArray(), layers.Select(l => l.ToString(Format.Invariant)).ToArray());
        FigureStyle.LogY(plt, logs.Append(floor));
        plt.Axes.SetLimitsY(floor, Math.Ceiling(logs.Max() + 0.3));
        plt.ShowLegend(Alignment.UpperLeft);
        return plt;
    }

    /// <summary>Nielsen's "norms during training": ‖∂C/∂b^l‖ of every hidden layer against the step (log scale).</summary>
    public Plot? SpeedOfLearningOverTraining()
    {
        string q = _index.SpeedQuantity;
        if (!_index.Has(q)) return null;
        var plt = FigureStyle.NewPlot($"Speed of learning during training ({SpeedSource})", "mini-batch step", SpeedLabel);
        var all = new List<double>();
        bool any = false;
        foreach (int l in HiddenLayers)
        {
            var (xs, ys) = _index.Thinned(q, l, FigureStyle.Log10);
            all.AddRange(ys);
            if (xs.Length == 0) continue;
            any = true;
            var line = plt.Add.Scatter(xs, ys, FigureStyle.Series(l - 1));
            line.LegendText = _index.LayerName(l);
            line.LineWidth = 2;
            line.MarkerSize = xs.Length <= 30 ? 5 : 0;
        }
        if (!any) return null;
        FigureStyle.LogY(plt, all);
        plt.ShowLegend(Alignment.UpperRight);
        return plt;
    }

    /// <summary>
    /// The backward gain ‖δ^l‖/‖δ^{l+1}‖ of each layer split into its weight factor ‖(W^{l+1})ᵀδ^{l+1}‖/‖δ^{l+1}‖ and
    /// activation factor ‖δ^l‖/‖(W^{l+1})ᵀδ^{l+1}‖ (typical over the run, as in the per-layer table), on a log scale
    /// around 1: a bar below the line shrinks the gradient on its way back, one above grows it.
    /// </summary>
    public Plot? GainDecomposition()
    {
        int[] layers = Enumerable.Range(1, Math.Max(0, _index.Depth - 1)).ToArray();
        if (layers.Length == 0 || !_index.Has(Quantity.WeightFactor)) return null;
        var plt = FigureStyle.NewPlot("Backward gain = weight factor × activation factor", "layer l (gain from layer l+1 back to l)", "factor (1 = gradient kept)");
        var terms = new[]
        {
            ("weight factor ‖Wᵀδ‖/‖δ‖", Quantity.WeightFactor, FigureStyle.Series(0)),
            ("activation factor (σ′)", Quantity.ActivationFactor, FigureStyle.Series(1)),
            ("gain (product)", Quantity.Gain, FigureStyle.Series(2)),
        };
        var all = new List<double>();
        for (int t = 0; t < terms.Length; t++)
        {
            var (label, q, color) = terms[t];
            var bars = layers.Select(l => new Bar
            {
                Position = l + (t - 1) * 0.27,
                Value = FigureStyle.Log10(_index.View.Typical(q, l)),
                ValueBase = 0,
                Size = 0.25,
                FillColor = color,
                LineWidth = 0,
            }).Where(b => double.IsFinite(b.Value)).ToList();
            all.AddRange(bars.Select(b => b.Value));
            plt.Add.Bars(bars).LegendText = label + ", typical";
        }
        var initGain = layers.Select(l => FigureStyle.Log10(_index.View.AtInit(Quantity.Gain, l))).ToArray();
        if (all.Count == 0 && !initGain.Any(double.IsFinite)) return null;
        var marks = plt.Add.Markers(layers.Select(l => l + 0.27).ToArray(), initGain, MarkerShape.OpenDiamond, 11, FigureStyle.Ink);
        marks.LegendText = "gain at init";
        all.AddRange(initGain.Where(double.IsFinite));
        var one = plt.Add.HorizontalLine(0, 1.5f, FigureStyle.Ink, LinePattern.Dashed);
        one.LegendText = "1 (no change)";
        plt.Axes.Bottom.SetTicks(layers.Select(l => (double)l).ToArray(), layers.Select(l => l.ToString(Format.Invariant)).ToArray());
        FigureStyle.LogY(plt, all.Append(0));
        double lo = Math.Min(-0.5, all.DefaultIfEmpty(0).Min() - 0.3), hi = Math.Max(0.5, all.DefaultIfEmpty(0).Max() + 0.6);
        plt.Axes.SetLimitsY(lo, hi);
        plt.ShowLegend(Alignment.UpperRight);
        return plt;
    }
}
