using System.Numerics;

namespace Gradscope.Record;

/// <summary>
/// Fixed log-spaced bins of |x|, the same for every layer, step and run so counts can be added: bin 0 holds
/// |x| &lt; 10⁻¹², bins 1…56 split [10⁻¹², 10²) at four per decade, bin 57 holds |x| ≥ 10² and non-finite values.
/// </summary>
public static class Histogram
{
    public const int BinsPerDecade = 4;
    public const int MinExponent = -12;
    public const int MaxExponent = 2;
    public const int Count = (MaxExponent - MinExponent) * BinsPerDecade + 2;

    /// <summary>Lower edge of bin i (0 for the first bin).</summary>
    public static double LowerEdge(int bin) =>
        bin <= 0 ? 0.0 : Math.Pow(10, MinExponent + (bin - 1) / (double)BinsPerDecade);

    public static int BinOf(double value)
    {
        double m = Math.Abs(value);
        if (!double.IsFinite(m)) return Count - 1;
        if (m < 1e-12) return 0;
        int bin = 1 + (int)Math.Floor((Math.Log10(m) - MinExponent) * BinsPerDecade);
        return Math.Clamp(bin, 1, Count - 1);
    }

    /// <summary>Adds the values' bin counts to <paramref name="counts"/> (length <see cref="Count"/>).</summary>
    public static void Accumulate<T>(ReadOnlySpan<T> values, Span<double> counts) where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (var v in values) counts[BinOf(double.CreateTruncating(v))] += 1;
    }
}
