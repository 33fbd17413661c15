using System.Numerics;

namespace Gradscope.Model.Layers;

/// <summary>
/// The normalisers' shared arithmetic over n values spaced by a stride (a unit's column over the batch, or an
/// example's row over the units), in float64: a float32 variance of near-equal values loses its digits.
/// </summary>
internal static class Standardization
{
    /// <summary>Standardises n values spaced by <paramref name="stride"/> in place; returns 1/√(σ² + ε).</summary>
    public static double Standardize<T>(Span<T> x, int stride) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = (x.Length + stride - 1) / stride;
        var (mean, variance) = Moments<T>(x, n, stride);
        double inv = 1 / Math.Sqrt(variance + NormalizedLayer<T>.NormEpsilon);
        Shift(x, n, stride, mean, inv);
        return inv;
    }

    /// <summary>x ← (x − mean)·inv over n values spaced by <paramref name="stride"/>.</summary>
    public static void Shift<T>(Span<T> x, int n, int stride, double mean, double inv) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int k = 0; k < n; k++) x[k * stride] = T.CreateTruncating((double.CreateTruncating(x[k * stride]) - mean) * inv);
    }

    public static (double Mean, double Variance) Moments<T>(ReadOnlySpan<T> x, int n, int stride)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double mean = 0;
        for (int k = 0; k < n; k++) mean += double.CreateTruncating(x[k * stride]);
        mean /= n;
        double variance = 0;
        for (int k = 0; k < n; k++)
        {
            double c = double.CreateTruncating(x[k * stride]) - mean;
            variance += c * c;
        }
        return (mean, variance / n);
    }

    /// <summary>
    /// d ← inv·(d − mean(d) − û·mean(d ⊙ û)) over n values spaced by <paramref name="stride"/>: ∂C/∂u when the
    /// statistics were taken over those same n values.
    /// </summary>
    public static void Project<T>(Span<T> d, ReadOnlySpan<T> hat, int stride, int n, double inv)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double meanD = 0, meanDHat = 0;
        for (int k = 0; k < n; k++)
        {
            double dk = double.CreateTruncating(d[k * stride]);
            meanD += dk;
            meanDHat += dk * double.CreateTruncating(hat[k * stride]);
        }
        meanD /= n;
        meanDHat /= n;
        for (int k = 0; k < n; k++)
        {
            double dk = double.CreateTruncating(d[k * stride]);
            d[k * stride] = T.CreateTruncating(inv * (dk - meanD - double.CreateTruncating(hat[k * stride]) * meanDHat));
        }
    }
}
