using ScottPlot;

namespace Gradscope.Reports;

public sealed partial class Figures
{
    /// <summary>Distribution of |∂C/∂w| per weight layer at the first and last measured step, one row per layer.</summary>
    public Plot? WeightGradientHistograms() =>
        Histograms(Quantity.WeightGradHistogram, "Weight gradients |∂C/∂w| per layer", "|∂C/∂w| (log scale)", Enumerable.Range(1, _index.Depth).ToArray());

    /// <summary>Distribution of |a| per hidden layer at the first and last measured step, one row per layer.</summary>
    public Plot? ActivationHistograms() =>
        Histograms(Quantity.ActivationHistogram, "Activations |a| per layer", "|a| (log scale)", HiddenLayers);

    /// <summary>
    /// Small multiples stacked on one shared log axis (a ridgeline): each layer's row shows the fraction of values
    /// per bin of <see cref="Histogram"/>, filled at the first measured step and outlined at the last, each scaled
    /// to its own peak so shapes compare across layers whose scales differ by decades.
    /// </summary>
    private Plot? Histograms(string quantity, string title, string xLabel, int[] layers)
    {
        var rows = layers.Select(l => (Layer: l, Pair: _index.FirstAndLastVector(quantity, l))).Where(r => r.Pair is not null).ToList();
        if (rows.Count == 0) return null;
        var plt = FigureStyle.NewPlot(title, xLabel, "");
        int lo = Histogram.Count, hi = 0;
        foreach (var (_, pair) in rows)
            foreach (var v in new[] { pair!.Value.First.Values!, pair.Value.Last.Values! })
                for (int b = 1; b < Math.Min(v.Length, Histogram.Count - 1); b++)
                    if (v[b] > 0) { lo = Math.Min(lo, b); hi = Math.Max(hi, b); }
        if (lo > hi) return null;
        lo = Math.Max(1, lo - 1);
        hi = Math.Min(Histogram.Count - 2, hi + 1);
        double[] xs = Enumerable.Range(lo, hi - lo + 1).Select(b => Math.Log10(Histogram.LowerEdge(b)) + 0.5 / Histogram.BinsPerDecade).ToArray();
        var tickPositions = new List<double>();
        var tickLabels = new List<string>();
        for (int r = 0; r < rows.Count; r++)
        {
            double baseline = rows.Count - 1 - r;
            var (f, l) = rows[r].Pair!.Value;
            var fy = Shape(f.Values!, lo, hi, baseline);
            var ly = Shape(l.Values!, lo, hi, baseline);
            var fill = plt.Add.FillY(xs, Enumerable.Repeat(baseline, xs.Length).ToArray(), fy);
            fill.FillStyle.Color = FigureStyle.Series(0).WithAlpha(0.35);
            fill.LineStyle.Width = 0;
            if (r == 0) fill.LegendText = $"step {f.Step} (first measured)";
            var outline = plt.Add.Scatter(xs, ly, FigureStyle.Series(3));
            outline.LineWidth = 2;
            outline.MarkerSize = 0;
            if (r == 0) outline.LegendText = $"step {l.Step} (last measured)";
            plt.Add.HorizontalLine(baseline, 1, FigureStyle.Muted.WithAlpha(0.5));
            tickPositions.Add(baseline + 0.35);
            double zeros = Fraction(l.Values!, 0);
            tickLabels.Add(zeros >= 0.005 ? $"{_index.LayerName(rows[r].Layer)}\n{Format.Percent(zeros)} < 10⁻¹²" : _index.LayerName(rows[r].Layer));
        }
        plt.Axes.Left.SetTicks(tickPositions.ToArray(), tickLabels.ToArray());
        plt.Axes.Left.MajorTickStyle.Length = 0;
        FigureStyle.LogX(plt);
        plt.Axes.SetLimits(xs[0] - 0.2, xs[^1] + 0.2, -0.08, rows.Count + 0.15);
        plt.Grid.YAxisStyle.MajorLineStyle.Width = 0;
        plt.ShowLegend(Alignment.UpperRight);
        return plt;
    }

    private static double[] Shape(double[] counts, int lo, int hi, double baseline)
    {
        double peak = 0;
        for (int b = lo; b <= hi; b++) peak = Math.Max(peak, counts[b]);
        return Enumerable.Range(lo, hi - lo + 1).Select(b => baseline + (peak > 0 ? 0.85 * counts[b] / peak : 0)).ToArray();
    }

    private static double Fraction(double[] counts, int bin)
    {
        double total = counts.Sum();
        return total > 0 ? counts[bin] / total : 0;
    }

    /// <summary>
    /// Singular values of the input–output Jacobian ∂z^L/∂x, largest first, at the first and last measured step,
    /// one line per probed input: a spectrum spanning many decades means some input directions barely reach the output.
    /// </summary>
    public Plot? JacobianSpectrum()
    {
        var records = _index.Records(Quantity.JacobianSingularValues, 0).Where(r => r.Values is { Length: > 0 }).ToList();
        if (records.Count == 0) return null;
        long firstStep = records[0].Step, lastStep = records[^1].Step;
        var plt = FigureStyle.NewPlot("Input–output Jacobian singular values", "rank (largest first)", "singular value of ∂zᴸ/∂x");
        var all = new List<double>();
        bool any = false;
        var groups = firstStep == lastStep ? new[] { (firstStep, 0) } : new[] { (firstStep, 0), (lastStep, 1) };
        foreach (var (step, color) in groups)
        {
            bool labelled = false;
            foreach (var r in records.Where(r => r.Step == step))
            {
                var points = r.Values!.Select((v, i) => (X: i + 1.0, Y: FigureStyle.Log10(v))).Where(p => double.IsFinite(p.Y)).ToList();
                if (points.Count == 0) continue;
                any = true;
                double[] xs = points.Select(p => p.X).ToArray();
                var ys = points.Select(p => p.Y).ToArray();
                all.AddRange(ys);
                var line = plt.Add.Scatter(xs, ys, FigureStyle.Series(color));
                line.LineWidth = 2;
                line.MarkerSize = 6;
                if (!labelled) line.LegendText = step == firstStep ? $"step {step} (first measured)" : $"step {step} (last measured)";
                labelled = true;
            }
        }
        if (!any) return null;
        FigureStyle.LogY(plt, all);
        plt.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plt.ShowLegend(Alignment.UpperRight);
        return plt;
    }
}
