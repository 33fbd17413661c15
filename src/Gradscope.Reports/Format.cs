using System.Globalization;

namespace Gradscope.Reports;

/// <summary>Number formats of figures and tables: invariant culture, three significant digits.</summary>
internal static class Format
{
    public static CultureInfo Invariant => CultureInfo.InvariantCulture;

    /// <summary>3 significant digits, scientific outside [0.01, 10⁴) (<see cref="Numbers.Short"/>).</summary>
    public static string Short(double v) => Numbers.Short(v);

    public static string Percent(double fraction) => double.IsNaN(fraction) ? "–" : (100 * fraction).ToString("0.#", Invariant) + "%";

    /// <summary>A ratio r as "1/40" when below 1, "40×" when above.</summary>
    public static string Ratio(double r)
    {
        if (!double.IsFinite(r) || r <= 0) return "–";
        return r < 1 ? "1/" + Round2(1 / r) : Round2(r) + "×";
    }

    private static string Round2(double x) => x >= 100 ? Math.Round(x, 0).ToString("N0", Invariant) : x.ToString("G2", Invariant);
}
