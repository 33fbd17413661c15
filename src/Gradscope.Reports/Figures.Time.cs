using ScottPlot;

namespace Gradscope.Reports;

/// <summary>The figures through time of a recurrent run: null for a run without recurrent layers.</summary>
public sealed partial class Figures
{
    private int? FirstRecurrentLayer => _index.View.ProfileLayers(Quantity.TimeGradNorm) is { Count: > 0 } layers ? layers[0] : null;

    /// <summary>
    /// log₁₀ ‖∂C/∂h_t‖ of the first recurrent layer over time step t (x) and training step (y, one row per measured
    /// step, earliest at the bottom): vanishing through time is a left side decades darker than the right.
    /// </summary>
    public Plot? GradientThroughTimeHeatmap()
    {
        if (FirstRecurrentLayer is not int l) return null;
        var view = _index.View;
        var steps = view.ProfileSteps(Quantity.TimeGradNorm, l);
        int tau = view.TimeSteps(Quantity.TimeGradNorm, l);
        var grid = new double[steps.Count, tau];
        var finite = new List<double>();
        for (int r = 0; r < steps.Count; r++)
        {
            var profile = view.Profile(Quantity.TimeGradNorm, l, steps[r]);
            for (int t = 0; t < tau; t++)
            {
                double v = t < profile.Count ? FigureStyle.Log10(profile[t]) : double.NaN;
                grid[steps.Count - 1 - r, t] = v; // row 0 is drawn at the top
                if (double.IsFinite(v)) finite.Add(v);
            }
        }
        if (finite.Count == 0) return null;
        var plt = FigureStyle.NewPlot($"Gradient through time, layer {l}: log₁₀ ‖∂C/∂h_t‖", "time step t", "measurement (earliest at the bottom)");
        var map = plt.Add.Heatmap(grid);
        map.Colormap = new ScottPlot.Colormaps.Viridis();
        map.NaNCellColor = Color.FromHex("#dddddd");
        map.ManualRange = new ScottPlot.Range(finite.Min(), Math.Max(finite.Max(), finite.Min() + 1e-9));
        map.Extent = new CoordinateRect(0.5, tau + 0.5, -0.5, steps.Count - 0.5);
        plt.Add.ColorBar(map);
        int every = Math.Max(1, steps.Count / 8);
        var ticks = Enumerable.Range(0, steps.Count).Where(r => r % every == 0 || r == steps.Count - 1).ToArray();
        plt.Axes.Left.SetTicks(ticks.Select(r => (double)r).ToArray(), ticks.Select(r => $"step {steps[r].ToString(Format.Invariant)}").ToArray());
        plt.Axes.Margins(0, 0);
        return plt;
    }

    /// <summary>The per-step gain and its two factors at the last measured step, against t, with the line at 1 (log scale).</summary>
    public Plot? GainThroughTime()
    {
        if (FirstRecurrentLayer is not int l) return null;
        var view = _index.View;
        var steps = view.ProfileSteps(Quantity.TimeGain, l);
        if (steps.Count == 0) return null;
        long step = steps[^1];
        var plt = FigureStyle.NewPlot($"Per-step gain through time, layer {l} (step {step})", "time step t", "factor per step back (log)");
        var all = new List<double> { 0 };
        int series = 0;
        foreach (var (quantity, label) in new[] { (Quantity.TimeGain, "gain ‖∂C/∂h_{t−1}‖/‖∂C/∂h_t‖"), (Quantity.TimeWeightFactor, "recurrent-weight factor"), (Quantity.TimeActivationFactor, "activation factor") })
        {
            var profile = view.Profile(quantity, l, step);
            var points = Enumerable.Range(0, profile.Count).Where(i => double.IsFinite(FigureStyle.Log10(profile[i]))).ToArray();
            if (points.Length == 0) continue;
            var ys = points.Select(i => FigureStyle.Log10(profile[i])).ToArray();
            all.AddRange(ys);
            var line = plt.Add.Scatter(points.Select(i => (double)(i + 1)).ToArray(), ys, FigureStyle.Series(series++));
            line.LegendText = label;
            line.MarkerSize = points.Length <= 40 ? 4 : 0;
        }
        if (series == 0) return null;
        var one = plt.Add.HorizontalLine(0, 1, FigureStyle.Muted, LinePattern.Dashed);
        one.LegendText = "1";
        FigureStyle.LogY(plt, all);
        plt.ShowLegend(Alignment.LowerRight);
        return plt;
    }

    /// <summary>Each gate's mean activation over training (LSTM i, f, g, o; GRU r, z, n), and W_hh's λ₁ against 1/γ.</summary>
    public Plot? GatesOverTraining()
    {
        if (FirstRecurrentLayer is not int l) return null;
        var plt = FigureStyle.NewPlot($"Gates over training, layer {l}", "mini-batch step", "mean gate activation");
        int series = 0;
        foreach (char gate in "ifgorzn")
        {
            var records = _index.View.Records(Quantity.GateMean(gate), l);
            if (records.Count == 0) continue;
            var line = plt.Add.Scatter(records.Select(r => (double)r.Step).ToArray(), records.Select(r => r.Value).ToArray(), FigureStyle.Series(series++));
            line.LegendText = gate == 'f' ? "f (forget: share of c kept per step)" : gate.ToString();
            line.MarkerSize = records.Count <= 30 ? 5 : 0;
        }
        if (series == 0) return null;
        plt.ShowLegend(Alignment.UpperRight);
        return plt;
    }
}
