using System.Globalization;

namespace Gradscope.Record;

/// <summary>
/// How numbers are written for people, in one place: <see cref="Short"/> in prose, findings and figures,
/// <see cref="Column"/> in tables. Invariant culture; "–" for NaN.
/// </summary>
public static class Numbers
{
    /// <summary>3 significant digits, scientific outside [0.01, 10⁴): 0.0312, 3.12e-5, 1.2e+6; ±∞ as symbols.</summary>
    public static string Short(double v)
    {
        if (double.IsNaN(v)) return "–";
        if (double.IsInfinity(v)) return v > 0 ? "∞" : "−∞";
        if (v == 0) return "0";
        double a = Math.Abs(v);
        if (a is >= 0.01 and < 1e4)
        {
            // "G3" rounds correctly but writes 1234.5 as 1.23E+03: from 1,000 up, round to tens instead.
            string g = v.ToString("G3", CultureInfo.InvariantCulture);
            if (!g.Contains('E', StringComparison.Ordinal)) return g;
            double tens = Math.Round(v / 10) * 10;
            if (Math.Abs(tens) < 1e4) return tens.ToString("0", CultureInfo.InvariantCulture);
        }
        return v.ToString("0.##e+0", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Fixed <paramref name="decimals"/> decimals where they still show 2 significant digits (down to 10^−(decimals−1))
    /// and below 10⁴, so a column's points line up; scientific with 3 significant digits elsewhere.
    /// </summary>
    public static string Column(double v, int decimals = 4)
    {
        if (double.IsNaN(v)) return "–";
        double lower = Math.Pow(10, -(decimals - 1));
        return Math.Abs(v) is var a && ((a >= lower && a < 1e4) || a == 0)
            ? v.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)
            : v.ToString("0.00e+0", CultureInfo.InvariantCulture);
    }

    /// <summary>A ratio r as "1/40" below 1 and "40×" above (2 significant digits; whole numbers from 100); "–" when not a positive number.</summary>
    public static string Ratio(double r)
    {
        if (!double.IsFinite(r) || r <= 0) return "–";
        return r < 1 ? "1/" + Round2(1 / r) : Round2(r) + "×";
    }

    /// <summary>A fraction as a percentage with one decimal: 0.1043 → "10.4%"; "–" for NaN.</summary>
    public static string Percent(double fraction) =>
        double.IsNaN(fraction) ? "–" : (100 * fraction).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    /// <summary>"1 epoch", "3 epochs", "15,000 steps": a count and its noun, singular only for one.</summary>
    public static string Count(long n, string singular, string? plural = null) =>
        string.Create(CultureInfo.InvariantCulture, $"{n:N0} {(n == 1 ? singular : plural ?? singular + "s")}");

    /// <summary>"1st", "2nd", "3rd", "5th", "11th", "22nd".</summary>
    public static string Ordinal(long n)
    {
        long tens = Math.Abs(n) % 100, units = Math.Abs(n) % 10;
        string suffix = tens is >= 11 and <= 13 ? "th" : units switch { 1 => "st", 2 => "nd", 3 => "rd", _ => "th" };
        return n.ToString("N0", CultureInfo.InvariantCulture) + suffix;
    }

    private static string Round2(double x) =>
        x >= 100 ? Math.Round(x, 0).ToString("N0", CultureInfo.InvariantCulture) : x.ToString("G2", CultureInfo.InvariantCulture);
}
