using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Gradscope.Numerics;

/// <summary>
/// Reductions the probes run every step, tuned for the sizes they see: a few hundred values (δ of a batch of ten)
/// to a few tens of thousands (a weight gradient). At the small end the remainder after the last whole vector
/// would cost more than the vectors did, one dependent addition per value, so the remainder is read as the last
/// whole vector of the array with the lanes already counted masked off.
/// </summary>
public static class Reductions
{
    /// <summary>
    /// ‖x‖₂ with four independent 512-bit accumulators: the loop is bound by the load port, not by the add
    /// latency, so a 23,520-value weight gradient takes about a third less time than with one accumulator.
    /// </summary>
    public static double Norm<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Math.Sqrt(SumOfSquares(x));

    /// <summary>Σx², summed as <see cref="Norm"/> describes.</summary>
    public static double SumOfSquares<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!Wide<T>()) return x.IsEmpty ? 0 : double.CreateTruncating(TensorPrimitives.SumOfSquares(x));
        ref T p = ref MemoryMarshal.GetReference(x);
        int n = x.Length, i = 0;
        T sum = T.Zero;
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported && n >= Vector512<T>.Count)
        {
            int w = Vector512<T>.Count;
            Vector512<T> a0 = Vector512<T>.Zero, a1 = a0, a2 = a0, a3 = a0;
            for (; i + 4 * w <= n; i += 4 * w)
            {
                var v0 = Vector512.LoadUnsafe(ref p, (nuint)i);
                var v1 = Vector512.LoadUnsafe(ref p, (nuint)(i + w));
                var v2 = Vector512.LoadUnsafe(ref p, (nuint)(i + 2 * w));
                var v3 = Vector512.LoadUnsafe(ref p, (nuint)(i + 3 * w));
                a0 = Simd512<T>.MultiplyAdd(v0, v0, a0);
                a1 = Simd512<T>.MultiplyAdd(v1, v1, a1);
                a2 = Simd512<T>.MultiplyAdd(v2, v2, a2);
                a3 = Simd512<T>.MultiplyAdd(v3, v3, a3);
            }
            for (; i + w <= n; i += w)
            {
                var v = Vector512.LoadUnsafe(ref p, (nuint)i);
                a0 = Simd512<T>.MultiplyAdd(v, v, a0);
            }
            if (i < n)
            {
                var v = LastLanes(ref p, n, n - i, T.Zero);
                a1 = Simd512<T>.MultiplyAdd(v, v, a1);
                i = n;
            }
            sum = Vector512.Sum((a0 + a1) + (a2 + a3));
        }
        for (; i < n; i++) sum += x[i] * x[i];
        return double.CreateTruncating(sum);
    }

    /// <summary>
    /// δ = back ⊙ σ' (each product rounded as <c>TensorPrimitives.Multiply</c> rounds it), returning Σ back² and Σ δ²
    /// from the same pass: backprop's last step for a layer, with the two norms the probes want of it.
    /// </summary>
    public static (double BackSquares, double DeltaSquares) MultiplyMeasured<T>(ReadOnlySpan<T> back, ReadOnlySpan<T> sigmaPrime, Span<T> delta)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = back.Length;
        if (sigmaPrime.Length != n || delta.Length != n) throw new ArgumentException("∂C/∂a, σ' and δ differ in length.");
        // In place (δ over an input), the last vector's second pass would multiply some lanes twice: the library's way.
        if (!Wide<T>() || n < Vector512<T>.Count || delta.Overlaps(back) || delta.Overlaps(sigmaPrime))
        {
            TensorPrimitives.Multiply(back, sigmaPrime, delta);
            return (SumOfSquares(back), SumOfSquares<T>(delta));
        }
        ref T pb = ref MemoryMarshal.GetReference(back);
        ref T ps = ref MemoryMarshal.GetReference(sigmaPrime);
        ref T pd = ref MemoryMarshal.GetReference(delta);
        int w = Vector512<T>.Count, i = 0;
        Vector512<T> b0 = Vector512<T>.Zero, b1 = b0, d0 = b0, d1 = b0;
        for (; i + 2 * w <= n; i += 2 * w)
        {
            var ba = Vector512.LoadUnsafe(ref pb, (nuint)i);
            var bb = Vector512.LoadUnsafe(ref pb, (nuint)(i + w));
            var da = ba * Vector512.LoadUnsafe(ref ps, (nuint)i);
            var db = bb * Vector512.LoadUnsafe(ref ps, (nuint)(i + w));
            da.StoreUnsafe(ref pd, (nuint)i);
            db.StoreUnsafe(ref pd, (nuint)(i + w));
            b0 = Simd512<T>.MultiplyAdd(ba, ba, b0);
            b1 = Simd512<T>.MultiplyAdd(bb, bb, b1);
            d0 = Simd512<T>.MultiplyAdd(da, da, d0);
            d1 = Simd512<T>.MultiplyAdd(db, db, d1);
        }
        for (; i + w <= n; i += w)
        {
            var bv = Vector512.LoadUnsafe(ref pb, (nuint)i);
            var dv = bv * Vector512.LoadUnsafe(ref ps, (nuint)i);
            dv.StoreUnsafe(ref pd, (nuint)i);
            b0 = Simd512<T>.MultiplyAdd(bv, bv, b0);
            d0 = Simd512<T>.MultiplyAdd(dv, dv, d0);
        }
        if (i < n)
        {
            // The last whole vector again: its earlier lanes get the same products they already have (δ is not one
            // of the inputs), and only the fresh lanes count in the sums.
            var fresh = FreshLanes<T>(n - i);
            var bv = Vector512.LoadUnsafe(ref pb, (nuint)(n - w));
            var dv = bv * Vector512.LoadUnsafe(ref ps, (nuint)(n - w));
            dv.StoreUnsafe(ref pd, (nuint)(n - w));
            bv &= fresh;
            dv &= fresh;
            b1 = Simd512<T>.MultiplyAdd(bv, bv, b1);
            d1 = Simd512<T>.MultiplyAdd(dv, dv, d1);
        }
        return (double.CreateTruncating(Vector512.Sum(b0 + b1)), double.CreateTruncating(Vector512.Sum(d0 + d1)));
    }

    /// <summary>
    /// Whether every value is finite: Σ x·0 is 0 exactly when none is ±∞ or NaN, and unlike Σ x it cannot overflow
    /// on large finite values.
    /// </summary>
    public static bool AllFinite<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Without 512-bit vectors: a finite sum proves it; only a sum that overflowed needs a scan.
        if (!Wide<T>() && (x.IsEmpty || T.IsFinite(TensorPrimitives.Sum(x)))) return true;
        ref T p = ref MemoryMarshal.GetReference(x);
        int n = x.Length, i = 0;
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported && n >= Vector512<T>.Count)
        {
            int w = Vector512<T>.Count;
            Vector512<T> a0 = Vector512<T>.Zero, a1 = a0;
            for (; i + 2 * w <= n; i += 2 * w)
            {
                a0 += Vector512.LoadUnsafe(ref p, (nuint)i) * Vector512<T>.Zero;
                a1 += Vector512.LoadUnsafe(ref p, (nuint)(i + w)) * Vector512<T>.Zero;
            }
            for (; i + w <= n; i += w) a0 += Vector512.LoadUnsafe(ref p, (nuint)i) * Vector512<T>.Zero;
            // The remainder: the last whole vector again; the values counted twice are finite or already spoil a0.
            if (i < n) a1 += Vector512.LoadUnsafe(ref p, (nuint)(n - w)) * Vector512<T>.Zero;
            return Vector512.Sum(a0 + a1) == T.Zero;
        }
        for (; i < n; i++)
            if (!T.IsFinite(x[i])) return false;
        return true;
    }

    /// <summary>Sum, minimum, maximum and the count of values below <paramref name="threshold"/>, in one vector pass.</summary>
    public static (double Sum, double Min, double Max, int Below) Summary<T>(ReadOnlySpan<T> x, T threshold)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.IsEmpty) return (0, double.NaN, double.NaN, 0);
        if (!Wide<T>())
        {
            int count = 0, k = 0;
            if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported && x.Length >= Vector<T>.Count)
            {
                // A 1 in every lane below the threshold, summed per vector (a handful of ones: exact in any T).
                var vThreshold = new Vector<T>(threshold);
                for (; k + Vector<T>.Count <= x.Length; k += Vector<T>.Count)
                    count += int.CreateTruncating(Vector.Sum(Vector.ConditionalSelect(Vector.LessThan(new Vector<T>(x[k..]), vThreshold), Vector<T>.One, Vector<T>.Zero)));
            }
            for (; k < x.Length; k++) count += x[k] < threshold ? 1 : 0;
            return (double.CreateTruncating(TensorPrimitives.Sum(x)), double.CreateTruncating(TensorPrimitives.Min(x)),
                double.CreateTruncating(TensorPrimitives.Max(x)), count);
        }
        ref T p = ref MemoryMarshal.GetReference(x);
        int n = x.Length, i = 0, below = 0;
        T sum = T.Zero, min = x[0], max = x[0];
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported && n >= Vector512<T>.Count)
        {
            int w = Vector512<T>.Count;
            var vThreshold = Vector512.Create(threshold);
            var vSum = Vector512<T>.Zero;
            var vMin = Vector512.LoadUnsafe(ref p);
            var vMax = vMin;
            for (; i + w <= n; i += w)
            {
                var v = Vector512.LoadUnsafe(ref p, (nuint)i);
                vSum += v;
                vMin = Vector512.Min(vMin, v);
                vMax = Vector512.Max(vMax, v);
                below += BitOperations.PopCount(Vector512.LessThan(v, vThreshold).ExtractMostSignificantBits());
            }
            if (i < n)
            {
                // Minimum and maximum may see a value twice; the sum and the count may not.
                var last = Vector512.LoadUnsafe(ref p, (nuint)(n - w));
                var fresh = FreshLanes<T>(n - i);
                vSum += Vector512.ConditionalSelect(fresh, last, Vector512<T>.Zero);
                vMin = Vector512.Min(vMin, last);
                vMax = Vector512.Max(vMax, last);
                below += BitOperations.PopCount((Vector512.LessThan(last, vThreshold) & fresh).ExtractMostSignificantBits());
                i = n;
            }
            sum = Vector512.Sum(vSum);
            // Halve the vectors down to 128 bits before reading lanes: a lane read by variable index goes through memory.
            var min256 = Vector256.Min(vMin.GetLower(), vMin.GetUpper());
            var max256 = Vector256.Max(vMax.GetLower(), vMax.GetUpper());
            var min128 = Vector128.Min(min256.GetLower(), min256.GetUpper());
            var max128 = Vector128.Max(max256.GetLower(), max256.GetUpper());
            for (int k = 0; k < Vector128<T>.Count; k++)
            {
                min = T.Min(min, min128.GetElement(k));
                max = T.Max(max, max128.GetElement(k));
            }
        }
        for (; i < n; i++)
        {
            T v = x[i];
            sum += v;
            min = T.Min(min, v);
            max = T.Max(max, v);
            if (v < threshold) below++;
        }
        return (double.CreateTruncating(sum), double.CreateTruncating(min), double.CreateTruncating(max), below);
    }

    /// <summary>
    /// ‖δ‖², ‖∂C/∂a‖² and whether every z is finite, in one pass over the three equally long arrays of a hidden
    /// layer: what the minimal probes need of each layer, every step.
    /// </summary>
    public static (double DeltaSquares, double BackSquares, bool ZFinite) LayerNorms<T>(ReadOnlySpan<T> delta, ReadOnlySpan<T> back, ReadOnlySpan<T> z)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = delta.Length;
        if (back.Length != n || z.Length != n) throw new ArgumentException("δ, ∂C/∂a and z differ in length.");
        if (!(Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported && n >= Vector512<T>.Count))
        {
            return (SumOfSquares(delta), SumOfSquares(back), AllFinite(z));
        }
        ref T pd = ref MemoryMarshal.GetReference(delta);
        ref T pb = ref MemoryMarshal.GetReference(back);
        ref T pz = ref MemoryMarshal.GetReference(z);
        int w = Vector512<T>.Count, i = 0;
        Vector512<T> d0 = Vector512<T>.Zero, d1 = d0, b0 = d0, b1 = d0, z0 = d0, z1 = d0;
        for (; i + 2 * w <= n; i += 2 * w)
        {
            var da = Vector512.LoadUnsafe(ref pd, (nuint)i);
            var db = Vector512.LoadUnsafe(ref pd, (nuint)(i + w));
            var ba = Vector512.LoadUnsafe(ref pb, (nuint)i);
            var bb = Vector512.LoadUnsafe(ref pb, (nuint)(i + w));
            d0 = Simd512<T>.MultiplyAdd(da, da, d0);
            d1 = Simd512<T>.MultiplyAdd(db, db, d1);
            b0 = Simd512<T>.MultiplyAdd(ba, ba, b0);
            b1 = Simd512<T>.MultiplyAdd(bb, bb, b1);
            z0 += Vector512.LoadUnsafe(ref pz, (nuint)i) * Vector512<T>.Zero;
            z1 += Vector512.LoadUnsafe(ref pz, (nuint)(i + w)) * Vector512<T>.Zero;
        }
        for (; i + w <= n; i += w)
        {
            var dv = Vector512.LoadUnsafe(ref pd, (nuint)i);
            var bv = Vector512.LoadUnsafe(ref pb, (nuint)i);
            d0 = Simd512<T>.MultiplyAdd(dv, dv, d0);
            b0 = Simd512<T>.MultiplyAdd(bv, bv, b0);
            z0 += Vector512.LoadUnsafe(ref pz, (nuint)i) * Vector512<T>.Zero;
        }
        if (i < n)
        {
            var dv = LastLanes(ref pd, n, n - i, T.Zero);
            var bv = LastLanes(ref pb, n, n - i, T.Zero);
            d1 = Simd512<T>.MultiplyAdd(dv, dv, d1);
            b1 = Simd512<T>.MultiplyAdd(bv, bv, b1);
            z1 += Vector512.LoadUnsafe(ref pz, (nuint)(n - w)) * Vector512<T>.Zero;
        }
        return (double.CreateTruncating(Vector512.Sum(d0 + d1)), double.CreateTruncating(Vector512.Sum(b0 + b1)),
            Vector512.Sum(z0 + z1) == T.Zero);
    }

    /// <summary>
    /// Σx, Σx² and how many columns are zero in every row, for a row-major [rows × width] batch of activations in one
    /// pass (the activation mean and spread, and the dead units of a batch): each row's "non-zero" masks are OR-ed a
    /// vector of columns at a time, and the sums take the same vectors.
    /// </summary>
    public static (double Sum, double SumOfSquares, int ZeroColumns) ColumnStatistics<T>(ReadOnlySpan<T> matrix, int rows, int width)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (matrix.Length < rows * width) throw new ArgumentException("Matrix shorter than rows × width.", nameof(matrix));
        ref T p = ref MemoryMarshal.GetReference(matrix);
        int zero = 0, j = 0;
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported && width >= Vector512<T>.Count)
        {
            int w = Vector512<T>.Count;
            Vector512<T> sum = Vector512<T>.Zero, squares = sum;
            for (; j < width; j += w)
            {
                // The last block ends at the last column and counts only the columns no earlier block did.
                int at = Math.Min(j, width - w);
                var counted = j == at ? Vector512<T>.AllBitsSet : FreshLanes<T>(width - j);
                var alive = Vector512<T>.Zero;
                for (int r = 0; r < rows; r++)
                {
                    var v = Vector512.LoadUnsafe(ref p, (nuint)(r * width + at)) & counted;
                    alive |= ~Vector512.Equals(v, Vector512<T>.Zero);
                    sum += v;
                    squares = Simd512<T>.MultiplyAdd(v, v, squares);
                }
                zero += BitOperations.PopCount((~alive & counted).ExtractMostSignificantBits());
            }
            return (double.CreateTruncating(Vector512.Sum(sum)), double.CreateTruncating(Vector512.Sum(squares)), zero);
        }
        // Without 512-bit vectors (or for very narrow layers): the sums vectorised by the library, the dead units by scan.
        var all = matrix[..(rows * width)];
        for (; j < width; j++)
        {
            bool alive = false;
            for (int r = 0; r < rows && !alive; r++) alive = all[r * width + j] != T.Zero;
            if (!alive) zero++;
        }
        return all.IsEmpty ? (0, 0, zero)
            : (double.CreateTruncating(TensorPrimitives.Sum(all)), double.CreateTruncating(TensorPrimitives.SumOfSquares(all)), zero);
    }

    /// <summary>Whether the 512-bit paths run; elsewhere the library's own vector code (AVX2, NEON) does the work.</summary>
    private static bool Wide<T>() where T : unmanaged => Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported;

    /// <summary>
    /// The last <paramref name="count"/> values (0 &lt; count &lt; one vector) as the top lanes of the whole vector that
    /// ends the array, whose lower lanes, already counted, hold <paramref name="fill"/>. Needs n ≥ one vector.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> LastLanes<T>(ref T p, int n, int count, T fill) where T : unmanaged, IFloatingPointIeee754<T> =>
        Vector512.ConditionalSelect(FreshLanes<T>(count), Vector512.LoadUnsafe(ref p, (nuint)(n - Vector512<T>.Count)), Vector512.Create(fill));

    /// <summary>A mask of the top <paramref name="count"/> lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> FreshLanes<T>(int count) where T : unmanaged, IFloatingPointIeee754<T> =>
        ~Simd512<T>.FirstLanes(Vector512<T>.Count - count);
}
