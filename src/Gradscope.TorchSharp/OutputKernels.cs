using System.Numerics;
using System.Runtime.InteropServices;

namespace Gradscope.TorchSharp;

/// <summary>Sums of one pass over a^l: Σa, Σa², and of σ' from a (Σσ', min, max, count below the saturation threshold).</summary>
internal readonly record struct ActivationSums(double Sum, double SumOfSquares, double PrimeSum, double PrimeMin, double PrimeMax, long Saturated);

/// <summary>
/// The passes over a module's output that every due step makes, each fused into one read of the data: a conv layer's
/// output is a few hundred thousand values, and a pass per quantity (Σa, Σa², σ' into a scratch array, then its sum,
/// minimum, maximum and saturated count) cost more than the layer's own forward pass. Sums run in T across the
/// vector's lanes, as <c>Reductions</c> and TensorPrimitives do.
/// </summary>
internal static class OutputKernels
{
    // A lane counts at most this many values before its count is moved to a long: exact in float (2²⁴ and below).
    private const int CountBlock = 1 << 16;

    /// <summary>Σa and Σa² in one pass.</summary>
    public static (double Sum, double SumOfSquares) Moments<T>(ReadOnlySpan<T> a) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = a.Length, i = 0, w = Vector<T>.Count;
        T sum = T.Zero, squares = T.Zero;
        if (Vector.IsHardwareAccelerated && n >= w)
        {
            var values = MemoryMarshal.Cast<T, Vector<T>>(a);
            Vector<T> vSum = Vector<T>.Zero, vSquares = Vector<T>.Zero;
            foreach (var v in values)
            {
                vSum += v;
                vSquares += v * v;
            }
            sum = Vector.Sum(vSum);
            squares = Vector.Sum(vSquares);
            i = values.Length * w;
        }
        for (; i < n; i++)
        {
            sum += a[i];
            squares += a[i] * a[i];
        }
        return (double.CreateTruncating(sum), double.CreateTruncating(squares));
    }

    /// <summary>
    /// Σx² and Σy² of two arrays of one length (a parameter and its gradient) in one loop: with two accumulators for
    /// each the additions overlap instead of waiting on one another.
    /// </summary>
    public static (double X, double Y) SumsOfSquares<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.Length != y.Length) throw new ArgumentException("The arrays differ in length.", nameof(y));
        int n = x.Length, i = 0, w = Vector<T>.Count;
        T sx = T.Zero, sy = T.Zero;
        if (Vector.IsHardwareAccelerated && n >= w)
        {
            var xs = MemoryMarshal.Cast<T, Vector<T>>(x);
            var ys = MemoryMarshal.Cast<T, Vector<T>>(y);
            Vector<T> x0 = Vector<T>.Zero, x1 = x0, y0 = x0, y1 = x0;
            int k = 0;
            for (; k + 1 < xs.Length; k += 2)
            {
                x0 += xs[k] * xs[k];
                x1 += xs[k + 1] * xs[k + 1];
                y0 += ys[k] * ys[k];
                y1 += ys[k + 1] * ys[k + 1];
            }
            if (k < xs.Length)
            {
                x0 += xs[k] * xs[k];
                y0 += ys[k] * ys[k];
            }
            sx = Vector.Sum(x0 + x1);
            sy = Vector.Sum(y0 + y1);
            i = xs.Length * w;
        }
        for (; i < n; i++)
        {
            sx += x[i] * x[i];
            sy += y[i] * y[i];
        }
        return (double.CreateTruncating(sx), double.CreateTruncating(sy));
    }

    /// <summary>Σa, Σa², and Σσ', min σ', max σ' and the count of σ' below <paramref name="threshold"/>, σ' from a.</summary>
    public static ActivationSums Statistics<T, TPrime>(ReadOnlySpan<T> a, T slope, T threshold)
        where T : unmanaged, IFloatingPointIeee754<T> where TPrime : IDerivativeFromOutput<T>
    {
        int n = a.Length, i = 0, w = Vector<T>.Count;
        if (n == 0) return new(0, 0, 0, double.NaN, double.NaN, 0);
        T sum = T.Zero, squares = T.Zero, primes = T.Zero, min = T.PositiveInfinity, max = T.NegativeInfinity;
        long below = 0;
        if (Vector.IsHardwareAccelerated && n >= w)
        {
            var values = MemoryMarshal.Cast<T, Vector<T>>(a);
            var (vSlope, vThreshold) = (new Vector<T>(slope), new Vector<T>(threshold));
            Vector<T> vSum = Vector<T>.Zero, vSquares = vSum, vPrimes = vSum;
            Vector<T> vMin = new(T.PositiveInfinity), vMax = new(T.NegativeInfinity);
            for (int start = 0; start < values.Length; start += CountBlock)
            {
                var vBelow = Vector<T>.Zero;
                foreach (var v in values.Slice(start, Math.Min(CountBlock, values.Length - start)))
                {
                    var s = TPrime.Invoke(v, vSlope);
                    vSum += v;
                    vSquares += v * v;
                    vPrimes += s;
                    vMin = Vector.Min(vMin, s);
                    vMax = Vector.Max(vMax, s);
                    // A true lane is all ones; its bits AND 1.0 are 1.0.
                    vBelow += Vector.LessThan(s, vThreshold) & Vector<T>.One;
                }
                below += long.CreateTruncating(Vector.Sum(vBelow));
            }
            sum = Vector.Sum(vSum);
            squares = Vector.Sum(vSquares);
            primes = Vector.Sum(vPrimes);
            for (int k = 0; k < w; k++)
            {
                min = T.Min(min, vMin[k]);
                max = T.Max(max, vMax[k]);
            }
            i = values.Length * w;
        }
        for (; i < n; i++)
        {
            T v = a[i], s = TPrime.Invoke(v, slope);
            sum += v;
            squares += v * v;
            primes += s;
            min = T.Min(min, s);
            max = T.Max(max, s);
            if (s < threshold) below++;
        }
        return new(double.CreateTruncating(sum), double.CreateTruncating(squares), double.CreateTruncating(primes),
            double.CreateTruncating(min), double.CreateTruncating(max), below);
    }

    /// <summary>
    /// ‖g‖² and ‖g ⊙ σ'‖², σ' from a: with g = ∂L/∂a, the second is ‖∂L/∂z‖², the δ of the layer, which autograd
    /// forms as the same product (sigmoid's backward is grad·(1 − y)·y, ReLU's grad·[y &gt; 0]).
    /// </summary>
    public static (double Gradient, double Delta) GradientSquares<T, TPrime>(ReadOnlySpan<T> g, ReadOnlySpan<T> a, T slope)
        where T : unmanaged, IFloatingPointIeee754<T> where TPrime : IDerivativeFromOutput<T>
    {
        if (g.Length != a.Length) throw new ArgumentException("∂L/∂a and a differ in length.", nameof(g));
        int n = a.Length, i = 0, w = Vector<T>.Count;
        T gradient = T.Zero, delta = T.Zero;
        if (Vector.IsHardwareAccelerated && n >= w)
        {
            var gs = MemoryMarshal.Cast<T, Vector<T>>(g);
            var values = MemoryMarshal.Cast<T, Vector<T>>(a);
            var vSlope = new Vector<T>(slope);
            Vector<T> vGradient = Vector<T>.Zero, vDelta = Vector<T>.Zero;
            for (int k = 0; k < values.Length; k++)
            {
                var v = gs[k];
                var d = v * TPrime.Invoke(values[k], vSlope);
                vGradient += v * v;
                vDelta += d * d;
            }
            gradient = Vector.Sum(vGradient);
            delta = Vector.Sum(vDelta);
            i = values.Length * w;
        }
        for (; i < n; i++)
        {
            T d = g[i] * TPrime.Invoke(a[i], slope);
            gradient += g[i] * g[i];
            delta += d * d;
        }
        return (double.CreateTruncating(gradient), double.CreateTruncating(delta));
    }

    /// <summary>δ = g ⊙ σ'(a), σ' from a, written into <paramref name="delta"/> (as autograd's activation backward forms it).</summary>
    public static void Delta<T, TPrime>(ReadOnlySpan<T> g, ReadOnlySpan<T> a, T slope, Span<T> delta)
        where T : unmanaged, IFloatingPointIeee754<T> where TPrime : IDerivativeFromOutput<T>
    {
        if (g.Length != a.Length || delta.Length != a.Length) throw new ArgumentException("∂L/∂a, a and δ differ in length.", nameof(g));
        int n = a.Length, i = 0, w = Vector<T>.Count;
        if (Vector.IsHardwareAccelerated && n >= w)
        {
            var gs = MemoryMarshal.Cast<T, Vector<T>>(g);
            var values = MemoryMarshal.Cast<T, Vector<T>>(a);
            var ds = MemoryMarshal.Cast<T, Vector<T>>(delta);
            var vSlope = new Vector<T>(slope);
            for (int k = 0; k < values.Length; k++) ds[k] = gs[k] * TPrime.Invoke(values[k], vSlope);
            i = values.Length * w;
        }
        for (; i < n; i++) delta[i] = g[i] * TPrime.Invoke(a[i], slope);
    }

    /// <summary>Σ(x − y)² and Σy², in double: how far x is from the reference y, and y's size.</summary>
    public static (double Difference, double Reference) DistanceSquares<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.Length != y.Length) throw new ArgumentException("x and y differ in length.", nameof(x));
        double difference = 0, reference = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double d = double.CreateTruncating(x[i]) - double.CreateTruncating(y[i]), r = double.CreateTruncating(y[i]);
            difference += d * d;
            reference += r * r;
        }
        return (difference, reference);
    }
}
