using System.Globalization;

namespace Gradscope.Reports;

/// <summary>Number formats of figures and tables: invariant culture, three significant digits.</summary>
internal static class Format
{
    public static CultureInfo Invariant => CultureInfo.InvariantCulture;

    /// <summary>3 significant digits, scientific outside [0.01, 10⁴) (<see cref="Numbers.Short"/>).</summary>
    public static string Short(double v) => Numbers.Short(v);

    public static string Percent(double fraction) => Numbers.Percent(fraction);

    /// <summary>A ratio r as "1/40" when below 1, "40×" when above (<see cref="Numbers.Ratio"/>).</summary>
    public static string Ratio(double r) => Numbers.Ratio(r);
}
