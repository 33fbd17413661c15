using ScottPlot;

namespace Gradscope.Reports;

/// <summary>Heatmaps over the two axes of a sweep, one cell per configuration, each annotated with its value.</summary>
public static class SweepFigures
{
    /// <summary>
    /// log10 of the <see cref="SpeedRatio"/> (first hidden ÷ last hidden layer's speed of learning) at the end of each run:
    /// 0 means equal speeds, −2 means the first layer learns 100 times slower (vanishing), +2 100 times faster.
    /// </summary>
    public static Plot SpeedRatioHeatmap(IReadOnlyList<SweepCell> cells, string rowAxis = "", string columnAxis = "")
    {
        ArgumentNullException.ThrowIfNull(cells);
        var plt = Heatmap(cells, c => FigureStyle.Log10(new RunView(c.Run).Ratio(atEnd: true).Value), v => v.ToString("+0.0;−0.0;0.0", Format.Invariant),
            $"log₁₀(speed of learning, {SpeedRatio.Name}), at end", rowAxis, columnAxis, new Diverging(), symmetric: true);
        return plt;
    }

    /// <summary>Test accuracy (train accuracy when a run had no test set) after the last epoch, in %.</summary>
    public static Plot FinalAccuracyHeatmap(IReadOnlyList<SweepCell> cells, string rowAxis = "", string columnAxis = "")
    {
        ArgumentNullException.ThrowIfNull(cells);
        return Heatmap(cells, c => new RunView(c.Run).FinalAccuracy * 100, v => v.ToString("0.#", Format.Invariant) + "%",
            "Final accuracy (%)", rowAxis, columnAxis, new ScottPlot.Colormaps.Viridis(), symmetric: false, fixedHigh: 100);
    }

    /// <summary>R² on the test set (the training set when a run had none) after the last epoch, for sweeps of regression runs.</summary>
    public static Plot FinalRSquaredHeatmap(IReadOnlyList<SweepCell> cells, string rowAxis = "", string columnAxis = "")
    {
        ArgumentNullException.ThrowIfNull(cells);
        return Heatmap(cells, c => new RunView(c.Run).FinalRSquared, v => v.ToString("0.000", Format.Invariant),
            "Final R²", rowAxis, columnAxis, new ScottPlot.Colormaps.Viridis(), symmetric: false);
    }

    private static Plot Heatmap(IReadOnlyList<SweepCell> cells, Func<SweepCell, double> value, Func<double, string> label,
        string title, string rowAxis, string columnAxis, IColormap colormap, bool symmetric, double? fixedHigh = null)
    {
        var rows = SweepRecord.Order(cells.Select(c => c.Row));
        var columns = SweepRecord.Order(cells.Select(c => c.Column));
        var grid = new double[rows.Count, columns.Count];
        for (int r = 0; r < rows.Count; r++)
            for (int c = 0; c < columns.Count; c++) grid[r, c] = double.NaN;
        foreach (var cell in cells) grid[rows.IndexOf(cell.Row), columns.IndexOf(cell.Column)] = value(cell);

        var plt = FigureStyle.NewPlot(title, columnAxis, rowAxis);
        var finite = grid.Cast<double>().Where(double.IsFinite).ToList();
        // Every cell n/a (nets with one hidden layer have no speed ratio): ScottPlot cannot scale an all-NaN heatmap,
        // so only the labels are drawn.
        if (finite.Count > 0) AddHeatmap(plt, grid, finite, colormap, symmetric, fixedHigh);
        else plt.Axes.SetLimits(-0.5, columns.Count - 0.5, -0.5, rows.Count - 0.5);
        for (int r = 0; r < rows.Count; r++)
            for (int c = 0; c < columns.Count; c++)
            {
                double v = grid[r, c];
                var text = plt.Add.Text(double.IsFinite(v) ? label(v) : "n/a", c, RowY(r, rows.Count));
                text.LabelAlignment = Alignment.MiddleCenter;
                text.LabelFontSize = 15;
                text.LabelBold = true;
                text.LabelFontName = "DejaVu Sans";
                text.LabelFontColor = Color.FromHex("#000000");
                text.LabelBackgroundColor = Color.FromHex("#ffffff").WithAlpha(0.75);
                text.LabelPadding = 3;
            }
        plt.Axes.Bottom.SetTicks(Enumerable.Range(0, columns.Count).Select(i => (double)i).ToArray(), columns.ToArray());
        plt.Axes.Left.SetTicks(Enumerable.Range(0, rows.Count).Select(r => RowY(r, rows.Count)).ToArray(), rows.Select(r => r.Length == 0 ? " " : r).ToArray());
        plt.Axes.Left.MajorTickStyle.Length = 0;
        plt.Axes.Bottom.MajorTickStyle.Length = 0;
        plt.Grid.IsVisible = false;
        plt.Axes.Margins(0, 0);
        return plt;
    }

    private static void AddHeatmap(Plot plt, double[,] grid, List<double> finite, IColormap colormap, bool symmetric, double? fixedHigh)
    {
        var map = plt.Add.Heatmap(grid);
        map.Colormap = colormap;
        map.NaNCellColor = Color.FromHex("#dddddd");
        // Cells as rectangles, not a bitmap: a browser would blur a 2×2 bitmap scaled up inside the SVG.
        map.RenderStrategy = new ScottPlot.Plottables.Heatmap.RenderStrategies.Rectangles();
        double lo = finite.Min(), hi = finite.Max();
        if (symmetric) (lo, hi) = (-Math.Max(1, Math.Max(-lo, hi)), Math.Max(1, Math.Max(-lo, hi)));
        // Accuracy on a 10-point grid up to 100 %, so a 2-point spread does not look like night and day.
        if (fixedHigh is { } top) (lo, hi) = (Math.Min(Math.Floor(lo / 10) * 10, top - 10), top);
        if (hi - lo < 1e-9) (lo, hi) = (lo - 1, hi + 1);
        map.ManualRange = new ScottPlot.Range(lo, hi);
        var bar = plt.Add.ColorBar(map);
        bar.Axis.TickLabelStyle.FontSize = 12;
    }

    // ScottPlot draws row 0 of the intensity grid at the top; cell centres sit on integer coordinates.
    private static double RowY(int row, int rows) => rows - 1 - row;

    /// <summary>Okabe–Ito blue through white to vermillion: a diverging map readable with colour-vision deficiencies.</summary>
    private sealed class Diverging : IColormap
    {
        public string Name => "Okabe–Ito diverging";

        public Color GetColor(double position)
        {
            position = Math.Clamp(double.IsNaN(position) ? 0.5 : position, 0, 1);
            var (from, to, t) = position < 0.5
                ? (Color.FromHex("#0072B2"), Color.FromHex("#F7F7F7"), position / 0.5)
                : (Color.FromHex("#F7F7F7"), Color.FromHex("#D55E00"), (position - 0.5) / 0.5);
            return new Color(Mix(from.R, to.R, t), Mix(from.G, to.G, t), Mix(from.B, to.B, t));
        }

        private static byte Mix(byte a, byte b, double t) => (byte)Math.Round(a + (b - a) * t);
    }
}
