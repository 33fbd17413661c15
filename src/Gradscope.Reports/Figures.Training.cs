using ScottPlot;

namespace Gradscope.Reports;

public sealed partial class Figures
{
    /// <summary>Saturated units (σ' near 0 on the active side) as solid lines and dead units as dashed ones, per hidden layer.</summary>
    public Plot? SaturationAndDeadUnits()
    {
        if (!_index.Has(Quantity.SaturatedFraction) && !_index.Has(Quantity.DeadFraction)) return null;
        var plt = FigureStyle.NewPlot("Saturated and dead units during training", "mini-batch step", "units of the layer (%)");
        bool anyDead = HiddenLayers.Any(l => _index.Records(Quantity.DeadFraction, l).Any(r => r.Value > 0));
        bool any = false;
        foreach (int l in HiddenLayers)
        {
            var (xs, ys) = _index.Thinned(Quantity.SaturatedFraction, l, v => 100 * v);
            if (xs.Length > 0)
            {
                var line = plt.Add.Scatter(xs, ys, FigureStyle.Series(l - 1));
                line.LegendText = $"{_index.LayerName(l)} saturated";
                line.LineWidth = 2;
                line.MarkerSize = xs.Length <= 30 ? 5 : 0;
                any = true;
            }
            if (!anyDead) continue;
            var (dx, dy) = _index.Thinned(Quantity.DeadFraction, l, v => 100 * v);
            if (dx.Length == 0) continue;
            // ScottPlot renders every plottable with one shared paint, and a marker plottable does not clear the dash
            // effect a dashed line left on it: markers drawn after a dashed line came out dashed in the PNG, and Skia's
            // SVG writer, which cannot put a dash on a <circle>, printed "Unsupported path effect in addPaint." on
            // stderr. So the dashed line has no markers of its own, and its markers are drawn before it.
            if (dx.Length <= 30) plt.Add.Markers(dx, dy, MarkerShape.FilledCircle, 5, FigureStyle.Series(l - 1));
            var dead = plt.Add.Scatter(dx, dy, FigureStyle.Series(l - 1));
            dead.LegendText = $"{_index.LayerName(l)} dead";
            dead.LineWidth = 2;
            dead.LinePattern = LinePattern.Dashed;
            dead.MarkerSize = 0;
            any = true;
        }
        if (!any) return null;
        plt.Axes.SetLimitsY(-3, 103);
        // With dead-unit lines too there are two entries per layer: beside the plot, not over the lines.
        if (anyDead) plt.ShowLegend(Edge.Right);
        else plt.ShowLegend(Alignment.UpperRight);
        return plt;
    }

    /// <summary>σ'(z^l) per hidden layer: its mean over units and examples (line) between its min and max (band).</summary>
    public Plot? SigmaPrime()
    {
        if (!_index.Has(Quantity.SigmaPrimeMean)) return null;
        var plt = FigureStyle.NewPlot("σ′(z) per layer during training (mean; dotted: min and max)", "mini-batch step", "σ′(z)");
        bool any = false;
        foreach (int l in HiddenLayers)
        {
            var (xs, mean) = _index.Thinned(Quantity.SigmaPrimeMean, l, v => v);
            var (minX, min) = _index.Thinned(Quantity.SigmaPrimeMin, l, v => v);
            var (maxX, max) = _index.Thinned(Quantity.SigmaPrimeMax, l, v => v);
            var color = FigureStyle.Series(l - 1);
            foreach (var (bx, by) in new[] { (minX, min), (maxX, max) })
            {
                if (bx.Length == 0) continue;
                var bound = plt.Add.Scatter(bx, by, color.WithAlpha(0.7));
                bound.LineWidth = 1;
                bound.LinePattern = LinePattern.Dotted;
                bound.MarkerSize = 0;
            }
            if (xs.Length == 0) continue;
            any = true;
            var line = plt.Add.Scatter(xs, mean, color);
            line.LegendText = _index.LayerName(l);
            line.LineWidth = 2;
            line.MarkerSize = xs.Length <= 30 ? 5 : 0;
        }
        if (!any) return null;
        plt.Axes.Margins(bottom: 0.02);
        plt.ShowLegend(Alignment.UpperRight);
        return plt;
    }

    /// <summary>Train and test cost after each epoch (epoch 0 = init), over the per-step mini-batch cost in grey.</summary>
    public Plot? CostCurves()
    {
        var epochs = Run.Epochs;
        var steps = _index.Records(Quantity.Cost, 0);
        if (epochs.Count == 0 && steps.Count == 0) return null;
        var plt = FigureStyle.NewPlot("Cost", "epoch", $"cost ({Run.Info.Cost})");
        if (steps.Count > 0)
        {
            var (xs, ys) = _index.Thinned(Quantity.Cost, 0, v => v);
            var perStep = plt.Add.Scatter(xs.Select(StepToEpoch).ToArray(), ys, FigureStyle.Muted.WithAlpha(0.6));
            perStep.LegendText = "mini-batch, per step";
            perStep.LineWidth = 1;
            perStep.MarkerSize = 0;
        }
        AddEpochLine(plt, epochs.Select(e => e.TrainCost), "train", 0);
        AddEpochLine(plt, epochs.Select(e => e.TestCost), "test", 1);
        plt.ShowLegend(Alignment.UpperRight);
        return plt;
    }

    /// <summary>Train and test accuracy after each epoch (epoch 0 = init); R² for a regression run.</summary>
    public Plot? AccuracyCurves()
    {
        var epochs = Run.Epochs;
        if (epochs.Count > 0 && epochs[^1].IsRegression)
        {
            var r2 = FigureStyle.NewPlot("R²", "epoch", "R² (1 = perfect fit)");
            AddEpochLine(r2, epochs.Select(e => e.TrainRSquared ?? double.NaN), "train", 0);
            if (epochs.Any(e => e.TestRSquared is not null)) AddEpochLine(r2, epochs.Select(e => e.TestRSquared ?? double.NaN), "test", 1);
            r2.ShowLegend(Alignment.LowerRight);
            return r2;
        }
        if (epochs.Count == 0 || !epochs.Any(e => double.IsFinite(e.TrainAccuracy) || double.IsFinite(e.TestAccuracy))) return null;
        var plt = FigureStyle.NewPlot("Accuracy", "epoch", "accuracy (%)");
        AddEpochLine(plt, epochs.Select(e => 100 * e.TrainAccuracy), "train", 0);
        AddEpochLine(plt, epochs.Select(e => 100 * e.TestAccuracy), "test", 1);
        plt.Axes.SetLimitsY(Math.Max(0, epochs.Select(e => 100 * Math.Min(e.TrainAccuracy, double.IsNaN(e.TestAccuracy) ? 1 : e.TestAccuracy)).Min() - 5), 101);
        plt.ShowLegend(Alignment.LowerRight);
        return plt;
    }

    private void AddEpochLine(Plot plt, IEnumerable<double> values, string label, int color)
    {
        var ys = values.ToArray();
        var xs = Run.Epochs.Select(e => (double)e.Epoch).ToArray();
        var keep = Enumerable.Range(0, ys.Length).Where(i => double.IsFinite(ys[i])).ToArray();
        if (keep.Length == 0) return;
        var line = plt.Add.Scatter(keep.Select(i => xs[i]).ToArray(), keep.Select(i => ys[i]).ToArray(), FigureStyle.Series(color));
        line.LegendText = label;
        line.LineWidth = 2.5f;
        line.MarkerSize = 7;
    }

    /// <summary>A step as a fractional epoch, interpolating between the steps recorded at each epoch's end.</summary>
    private double StepToEpoch(double step)
    {
        var e = Run.Epochs;
        if (e.Count < 2) return step;
        for (int i = 1; i < e.Count; i++)
            if (step <= e[i].Step || i == e.Count - 1)
            {
                double span = Math.Max(1, e[i].Step - e[i - 1].Step);
                return e[i - 1].Epoch + (step - e[i - 1].Step) / span * (e[i].Epoch - e[i - 1].Epoch);
            }
        return step;
    }
}
