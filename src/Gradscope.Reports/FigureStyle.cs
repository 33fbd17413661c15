using ScottPlot;

namespace Gradscope.Reports;

/// <summary>
/// The one look of every figure: DejaVu Sans, the Okabe–Ito colour-blind-safe palette, sizes readable at 800 px,
/// and log axes drawn the ScottPlot 5 way (plot log10 of the data, label ticks as powers of ten).
/// </summary>
internal static class FigureStyle
{
    public const int Width = 800;
    public const int Height = 460;

    // Okabe & Ito (2008): distinguishable under the common colour-vision deficiencies, and in greyscale print.
    private static readonly Color[] OkabeIto =
    [
        Color.FromHex("#0072B2"), Color.FromHex("#E69F00"), Color.FromHex("#009E73"), Color.FromHex("#D55E00"),
        Color.FromHex("#CC79A7"), Color.FromHex("#56B4E9"), Color.FromHex("#F0E442"), Color.FromHex("#000000"),
    ];

    public static Color Series(int i) => OkabeIto[((i % OkabeIto.Length) + OkabeIto.Length) % OkabeIto.Length];

    public static Color Ink { get; } = Color.FromHex("#222222");
    public static Color Muted { get; } = Color.FromHex("#888888");

    public static Plot NewPlot(string title, string xLabel, string yLabel)
    {
        var plt = new Plot();
        plt.Font.Set("DejaVu Sans");
        plt.Title(title, 17);
        plt.XLabel(xLabel, 14);
        plt.YLabel(yLabel, 14);
        plt.Axes.Title.Label.Bold = true;
        foreach (var axis in new IAxis[] { plt.Axes.Bottom, plt.Axes.Left })
        {
            // Three significant digits, scientific when large: a blown-up cost of 6e32 labels as 6e+32, not 33 digits.
            axis.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { LabelFormatter = Format.Short };
            axis.TickLabelStyle.FontSize = 12;
            axis.Label.Bold = false;
        }
        plt.Grid.MajorLineColor = Color.FromHex("#000000").WithAlpha(0.08);
        plt.Legend.FontSize = 12;
        plt.Legend.FontName = "DejaVu Sans";
        return plt;
    }

    /// <summary>
    /// Labels the left axis as powers of ten of plotted log10 values, with log-spaced minor ticks; when the data
    /// (<paramref name="logValues"/>) span less than about a decade, ticks fall between powers and are labelled
    /// with the plain value.
    /// </summary>
    public static void LogY(Plot plt, IEnumerable<double>? logValues = null)
    {
        var finite = logValues?.Where(double.IsFinite).ToList() ?? [];
        bool narrow = finite.Count > 0 && finite.Max() - finite.Min() < 1.2
            && Math.Floor(finite.Min()) == Math.Floor(finite.Max());
        if (narrow)
        {
            // Within one decade, powers of ten give no ticks: put round linear values at their log positions.
            double lo = Math.Pow(10, finite.Min()), hi = Math.Pow(10, finite.Max());
            double step = NiceStep((hi - lo) / 4);
            var values = new List<double>();
            for (double v = Math.Ceiling(lo / step) * step; v <= hi * (1 + 1e-9); v += step) values.Add(v);
            if (values.Count < 2) values = [lo, hi];
            plt.Axes.Left.SetTicks(values.Select(Math.Log10).ToArray(), values.Select(Format.Short).ToArray());
        }
        else
        {
            plt.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
            {
                MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
                IntegerTicksOnly = true,
                LabelFormatter = PowerOfTen,
            };
        }
        plt.Grid.MinorLineWidth = 0;
    }

    /// <summary>As <see cref="LogY"/> for the bottom axis.</summary>
    public static void LogX(Plot plt)
    {
        plt.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = PowerOfTen,
        };
    }

    /// <summary>The 1, 2 or 5 × 10ᵏ at or above <paramref name="raw"/>.</summary>
    private static double NiceStep(double raw)
    {
        if (!(raw > 0)) return 1;
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double f = raw / magnitude;
        return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * magnitude;
    }

    private const string Superscripts = "⁰¹²³⁴⁵⁶⁷⁸⁹";

    public static string PowerOfTen(double exponent)
    {
        int e = (int)Math.Round(exponent);
        if (e == 0) return "1";
        if (e == 1) return "10";
        var digits = Math.Abs(e).ToString(System.Globalization.CultureInfo.InvariantCulture).Select(c => Superscripts[c - '0']);
        return "10" + (e < 0 ? "⁻" : "") + string.Concat(digits);
    }

    /// <summary>log10 of a positive value; NaN for zero, negative or non-finite values so they drop out of a plot.</summary>
    public static double Log10(double v) => v > 0 && double.IsFinite(v) ? Math.Log10(v) : double.NaN;
}
