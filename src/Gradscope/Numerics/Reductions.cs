using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Gradscope.Numerics;

/// <summary>
/// Reductions the probes run every step, tuned for the sizes they see: a few hundred values (δ of a batch of ten)
/// to a few tens of thousands (a weight gradient). Each is one pass written once against <see cref="ISimd{TVec,T}"/>
/// and compiled for 512-bit vectors where the machine has them, else 256-bit (AVX2), else a scalar loop. At the small
/// end the remainder after the last whole vector would cost more than the vectors did, one dependent addition per
/// value, so the remainder is read as the last whole vector of the array with the lanes already counted masked off.
/// At these sizes one fused pass beats several library calls: each call's set-up costs as much as its work.
/// </summary>
public static unsafe class Reductions
{
    /// <summary>
    /// ‖x‖₂ with four independent accumulators: the loop is bound by the load port, not by the add latency, so a
    /// 23,520-value weight gradient takes about a third less time than with one accumulator.
    /// </summary>
    public static double Norm<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Math.Sqrt(SumOfSquares(x));

    /// <summary>Σx², summed as <see cref="Norm"/> describes.</summary>
    public static double SumOfSquares<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Wide<T>(x.Length)) return SumOfSquares<T, Vector512<T>, Simd512<T>>(x);
        if (Narrow<T>(x.Length)) return SumOfSquares<T, Vector256<T>, Simd256<T>>(x);
        T sum = T.Zero;
        foreach (T v in x) sum += v * v;
        return double.CreateTruncating(sum);
    }

    private static double SumOfSquares<T, TVec, TSimd>(ReadOnlySpan<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> where TVec : struct where TSimd : ISimd<TVec, T>
    {
        fixed (T* p = x)
        {
            int n = x.Length, w = TSimd.Count, i = 0;
            TVec a0 = TSimd.Zero, a1 = a0, a2 = a0, a3 = a0;
            for (; i + 4 * w <= n; i += 4 * w)
            {
                var v0 = TSimd.Load(p + i);
                var v1 = TSimd.Load(p + i + w);
                var v2 = TSimd.Load(p + i + 2 * w);
                var v3 = TSimd.Load(p + i + 3 * w);
                a0 = TSimd.MultiplyAdd(v0, v0, a0);
                a1 = TSimd.MultiplyAdd(v1, v1, a1);
                a2 = TSimd.MultiplyAdd(v2, v2, a2);
                a3 = TSimd.MultiplyAdd(v3, v3, a3);
            }
            for (; i + w <= n; i += w)
            {
                var v = TSimd.Load(p + i);
                a0 = TSimd.MultiplyAdd(v, v, a0);
            }
            if (i < n)
            {
                var v = TSimd.And(TSimd.Load(p + n - w), FreshLanes<T, TVec, TSimd>(n - i));
                a1 = TSimd.MultiplyAdd(v, v, a1);
            }
            return double.CreateTruncating(TSimd.Sum(TSimd.Add(TSimd.Add(a0, a1), TSimd.Add(a2, a3))));
        }
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
        if (delta.Overlaps(back) || delta.Overlaps(sigmaPrime) || !(Wide<T>(n) || Narrow<T>(n)))
        {
            TensorPrimitives.Multiply(back, sigmaPrime, delta);
            return (SumOfSquares(back), SumOfSquares<T>(delta));
        }
        return Wide<T>(n) ? MultiplyMeasured<T, Vector512<T>, Simd512<T>>(back, sigmaPrime, delta)
            : MultiplyMeasured<T, Vector256<T>, Simd256<T>>(back, sigmaPrime, delta);
    }

    private static (double BackSquares, double DeltaSquares) MultiplyMeasured<T, TVec, TSimd>(ReadOnlySpan<T> back, ReadOnlySpan<T> sigmaPrime, Span<T> delta)
        where T : unmanaged, IFloatingPointIeee754<T> where TVec : struct where TSimd : ISimd<TVec, T>
    {
        fixed (T* pb = back, ps = sigmaPrime, pd = delta)
        {
            int n = back.Length, w = TSimd.Count, i = 0;
            TVec b0 = TSimd.Zero, b1 = b0, d0 = b0, d1 = b0;
            for (; i + 2 * w <= n; i += 2 * w)
            {
                var ba = TSimd.Load(pb + i);
                var bb = TSimd.Load(pb + i + w);
                var da = TSimd.Multiply(ba, TSimd.Load(ps + i));
                var db = TSimd.Multiply(bb, TSimd.Load(ps + i + w));
                TSimd.Store(da, pd + i);
                TSimd.Store(db, pd + i + w);
                b0 = TSimd.MultiplyAdd(ba, ba, b0);
                b1 = TSimd.MultiplyAdd(bb, bb, b1);
                d0 = TSimd.MultiplyAdd(da, da, d0);
                d1 = TSimd.MultiplyAdd(db, db, d1);
            }
            for (; i + w <= n; i += w)
            {
                var bv = TSimd.Load(pb + i);
                var dv = TSimd.Multiply(bv, TSimd.Load(ps + i));
                TSimd.Store(dv, pd + i);
                b0 = TSimd.MultiplyAdd(bv, bv, b0);
                d0 = TSimd.MultiplyAdd(dv, dv, d0);
            }
            if (i < n)
            {
                // The last whole vector again: its earlier lanes get the same products they already have (δ is not one
                // of the inputs), and only the fresh lanes count in the sums.
                var fresh = FreshLanes<T, TVec, TSimd>(n - i);
                var bv = TSimd.Load(pb + n - w);
                var dv = TSimd.Multiply(bv, TSimd.Load(ps + n - w));
                TSimd.Store(dv, pd + n - w);
                bv = TSimd.And(bv, fresh);
                dv = TSimd.And(dv, fresh);
                b1 = TSimd.MultiplyAdd(bv, bv, b1);
                d1 = TSimd.MultiplyAdd(dv, dv, d1);
            }
            return (double.CreateTruncating(TSimd.Sum(TSimd.Add(b0, b1))), double.CreateTruncating(TSimd.Sum(TSimd.Add(d0, d1))));
        }
    }

    /// <summary>
    /// Whether every value is finite (none is ±∞ or NaN), exactly, in one pass over the bits: a value is not finite
    /// when its exponent bits are all set, that is when |x|'s bits, read as an integer, exceed the largest finite
    /// value's. Each vector costs an AND, a compare and an OR of one cycle each, where a sum of the values took four
    /// and could overflow. Written with <see cref="Vector{T}"/> (256 bits on AVX2 and AVX-512 machines alike): the
    /// arrays checked are a layer's z, a few hundred values, where the wider vector would gain little.
    /// </summary>
    public static bool AllFinite<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float)) return AllFiniteBits(MemoryMarshal.Cast<T, int>(x), 0x7FFF_FFFF, 0x7F7F_FFFF);
        if (typeof(T) == typeof(double))
            return AllFiniteBits(MemoryMarshal.Cast<T, long>(x), 0x7FFF_FFFF_FFFF_FFFF, 0x7FEF_FFFF_FFFF_FFFF);
        foreach (T v in x)
            if (!T.IsFinite(v)) return false;
        return true;
    }

    private static bool AllFiniteBits<TInt>(ReadOnlySpan<TInt> bits, TInt magnitude, TInt largestFinite)
        where TInt : unmanaged, IBinaryInteger<TInt>
    {
        int n = bits.Length, i = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<TInt>.Count)
        {
            ref TInt p = ref MemoryMarshal.GetReference(bits);
            int w = Vector<TInt>.Count;
            Vector<TInt> mask = new(magnitude), limit = new(largestFinite), o0 = Vector<TInt>.Zero, o1 = o0;
            for (; i + 2 * w <= n; i += 2 * w)
            {
                o0 |= Vector.GreaterThan(Vector.LoadUnsafe(ref p, (nuint)i) & mask, limit);
                o1 |= Vector.GreaterThan(Vector.LoadUnsafe(ref p, (nuint)(i + w)) & mask, limit);
            }
            if (i + w <= n)
            {
                o1 |= Vector.GreaterThan(Vector.LoadUnsafe(ref p, (nuint)i) & mask, limit);
                i += w;
            }
            // The rest as the last whole vector: a lane read twice is as finite the second time.
            if (i < n) o0 |= Vector.GreaterThan(Vector.LoadUnsafe(ref p, (nuint)(n - w)) & mask, limit);
            return (o0 | o1) == Vector<TInt>.Zero;
        }
        for (; i < n; i++)
            if ((bits[i] & magnitude) > largestFinite) return false;
        return true;
    }

    /// <summary>Sum, minimum, maximum and the count of values below <paramref name="threshold"/>, in one vector pass.</summary>
    public static (double Sum, double Min, double Max, int Below) Summary<T>(ReadOnlySpan<T> x, T threshold)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.IsEmpty) return (0, double.NaN, double.NaN, 0);
        if (Wide<T>(x.Length)) return Summary<T, Vector512<T>, Simd512<T>>(x, threshold);
        if (Narrow<T>(x.Length)) return Summary<T, Vector256<T>, Simd256<T>>(x, threshold);
        T sum = T.Zero, min = x[0], max = x[0];
        int below = 0;
        foreach (T v in x)
        {
            sum += v;
            min = T.Min(min, v);
            max = T.Max(max, v);
            if (v < threshold) below++;
        }
        return (double.CreateTruncating(sum), double.CreateTruncating(min), double.CreateTruncating(max), below);
    }

    private static (double Sum, double Min, double Max, int Below) Summary<T, TVec, TSimd>(ReadOnlySpan<T> x, T threshold)
        where T : unmanaged, IFloatingPointIeee754<T> where TVec : struct where TSimd : ISimd<TVec, T>
    {
        fixed (T* p = x)
        {
            int n = x.Length, w = TSimd.Count, i = 0, below = 0;
            var vThreshold = TSimd.Broadcast(threshold);
            TVec sum = TSimd.Zero, min = TSimd.Load(p), max = min;
            for (; i + w <= n; i += w)
            {
                var v = TSimd.Load(p + i);
                sum = TSimd.Add(sum, v);
                min = TSimd.MinNative(min, v);
                max = TSimd.MaxNative(max, v);
                below += TSimd.CountSet(TSimd.LessThan(v, vThreshold));
            }
            if (i < n)
            {
                // Minimum and maximum may see a value twice; the sum and the count may not.
                var last = TSimd.Load(p + n - w);
                var fresh = FreshLanes<T, TVec, TSimd>(n - i);
                sum = TSimd.Add(sum, TSimd.And(last, fresh));
                min = TSimd.MinNative(min, last);
                max = TSimd.MaxNative(max, last);
                below += TSimd.CountSet(TSimd.And(TSimd.LessThan(last, vThreshold), fresh));
            }
            T* lanes = stackalloc T[2 * w];
            TSimd.Store(min, lanes);
            TSimd.Store(max, lanes + w);
            T lo = lanes[0], hi = lanes[w];
            for (int k = 1; k < w; k++)
            {
                if (lanes[k] < lo) lo = lanes[k];
                if (lanes[w + k] > hi) hi = lanes[w + k];
            }
            // The hardware's minimum and maximum may drop a NaN, but the sum keeps it: only then look for one.
            T total = TSimd.Sum(sum);
            if (T.IsNaN(total) && HasNaN(x)) lo = hi = T.NaN;
            return (double.CreateTruncating(total), double.CreateTruncating(lo), double.CreateTruncating(hi), below);
        }
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
        if (Wide<T>(n)) return LayerNorms<T, Vector512<T>, Simd512<T>>(delta, back, z);
        if (Narrow<T>(n)) return LayerNorms<T, Vector256<T>, Simd256<T>>(delta, back, z);
        return (SumOfSquares(delta), SumOfSquares(back), AllFinite(z));
    }

    private static (double DeltaSquares, double BackSquares, bool ZFinite) LayerNorms<T, TVec, TSimd>(ReadOnlySpan<T> delta, ReadOnlySpan<T> back, ReadOnlySpan<T> z)
        where T : unmanaged, IFloatingPointIeee754<T> where TVec : struct where TSimd : ISimd<TVec, T>
    {
        fixed (T* pd = delta, pb = back, pz = z)
        {
            int n = delta.Length, w = TSimd.Count, i = 0;
            TVec zero = TSimd.Zero, d0 = zero, d1 = zero, b0 = zero, b1 = zero, z0 = zero, z1 = zero;
            for (; i + 2 * w <= n; i += 2 * w)
            {
                var da = TSimd.Load(pd + i);
                var db = TSimd.Load(pd + i + w);
                var ba = TSimd.Load(pb + i);
                var bb = TSimd.Load(pb + i + w);
                d0 = TSimd.MultiplyAdd(da, da, d0);
                d1 = TSimd.MultiplyAdd(db, db, d1);
                b0 = TSimd.MultiplyAdd(ba, ba, b0);
                b1 = TSimd.MultiplyAdd(bb, bb, b1);
                z0 = TSimd.MultiplyAdd(TSimd.Load(pz + i), zero, z0);
                z1 = TSimd.MultiplyAdd(TSimd.Load(pz + i + w), zero, z1);
            }
            for (; i + w <= n; i += w)
            {
                var dv = TSimd.Load(pd + i);
                var bv = TSimd.Load(pb + i);
                d0 = TSimd.MultiplyAdd(dv, dv, d0);
                b0 = TSimd.MultiplyAdd(bv, bv, b0);
                z0 = TSimd.MultiplyAdd(TSimd.Load(pz + i), zero, z0);
            }
            if (i < n)
            {
                var fresh = FreshLanes<T, TVec, TSimd>(n - i);
                var dv = TSimd.And(TSimd.Load(pd + n - w), fresh);
                var bv = TSimd.And(TSimd.Load(pb + n - w), fresh);
                d1 = TSimd.MultiplyAdd(dv, dv, d1);
                b1 = TSimd.MultiplyAdd(bv, bv, b1);
                z1 = TSimd.MultiplyAdd(TSimd.Load(pz + n - w), zero, z1);
            }
            return (double.CreateTruncating(TSimd.Sum(TSimd.Add(d0, d1))), double.CreateTruncating(TSimd.Sum(TSimd.Add(b0, b1))),
                TSimd.Sum(TSimd.Add(z0, z1)) == T.Zero);
        }
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
        if (Wide<T>(width)) return ColumnStatistics<T, Vector512<T>, Simd512<T>>(matrix, rows, width);
        if (Narrow<T>(width)) return ColumnStatistics<T, Vector256<T>, Simd256<T>>(matrix, rows, width);
        // Layers narrower than one vector: the sums vectorised by the library, the dead units by scan.
        int zero = 0;
        var all = matrix[..(rows * width)];
        for (int j = 0; j < width; j++)
        {
            bool alive = false;
            for (int r = 0; r < rows && !alive; r++) alive = all[r * width + j] != T.Zero;
            if (!alive) zero++;
        }
        return all.IsEmpty ? (0, 0, zero)
            : (double.CreateTruncating(TensorPrimitives.Sum(all)), double.CreateTruncating(TensorPrimitives.SumOfSquares(all)), zero);
    }

    private static (double Sum, double SumOfSquares, int ZeroColumns) ColumnStatistics<T, TVec, TSimd>(ReadOnlySpan<T> matrix, int rows, int width)
        where T : unmanaged, IFloatingPointIeee754<T> where TVec : struct where TSimd : ISimd<TVec, T>
    {
        fixed (T* p = matrix)
        {
            int w = TSimd.Count, zero = 0;
            TVec sum = TSimd.Zero, squares = sum, all = TSimd.Equal(sum, sum);
            for (int j = 0; j < width; j += w)
            {
                // The last block ends at the last column and counts only the columns no earlier block did.
                int at = Math.Min(j, width - w);
                var counted = j == at ? all : FreshLanes<T, TVec, TSimd>(width - j);
                var alive = TSimd.Zero;
                for (int r = 0; r < rows; r++)
                {
                    var v = TSimd.And(TSimd.Load(p + r * width + at), counted);
                    alive = TSimd.Or(alive, TSimd.AndNot(all, TSimd.Equal(v, TSimd.Zero)));
                    sum = TSimd.Add(sum, v);
                    squares = TSimd.MultiplyAdd(v, v, squares);
                }
                zero += TSimd.CountSet(TSimd.AndNot(counted, alive));
            }
            return (double.CreateTruncating(TSimd.Sum(sum)), double.CreateTruncating(TSimd.Sum(squares)), zero);
        }
    }

    /// <summary>
    /// For each column of a row-major [rows × width] matrix, the last row holding a value other than zero, or −1 when
    /// the whole column is zero: how long ago each unit of a batch of activations last fired.
    /// </summary>
    public static void LastNonZeroRows<T>(ReadOnlySpan<T> matrix, int rows, int width, Span<int> last)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (matrix.Length < rows * width) throw new ArgumentException("Matrix shorter than rows × width.", nameof(matrix));
        if (last.Length < width) throw new ArgumentException("Fewer slots than columns.", nameof(last));
        if (rows == 0) last[..width].Fill(-1);
        else if (Wide<T>(width)) LastNonZeroRows<T, Vector512<T>, Simd512<T>>(matrix, rows, width, last);
        else if (Narrow<T>(width)) LastNonZeroRows<T, Vector256<T>, Simd256<T>>(matrix, rows, width, last);
        else
            for (int j = 0; j < width; j++)
            {
                int r = rows - 1;
                while (r >= 0 && matrix[r * width + j] == T.Zero) r--;
                last[j] = r;
            }
    }

    private static void LastNonZeroRows<T, TVec, TSimd>(ReadOnlySpan<T> matrix, int rows, int width, Span<int> last)
        where T : unmanaged, IFloatingPointIeee754<T> where TVec : struct where TSimd : ISimd<TVec, T>
    {
        // Units fire on most examples, so a vector of columns is usually settled by the last row alone; only the
        // columns silent there are scanned upwards, one by one.
        int w = TSimd.Count;
        fixed (T* p = matrix)
            for (int j = 0; j < width; j += w)
            {
                int at = Math.Min(j, width - w);
                var silent = TSimd.Equal(TSimd.Load(p + (rows - 1) * width + at), TSimd.Zero);
                last.Slice(at, w).Fill(rows - 1);
                if (TSimd.CountSet(silent) == 0) continue;
                for (int k = 0; k < w; k++)
                {
                    int r = rows - 1, c = at + k;
                    while (r >= 0 && p[r * width + c] == T.Zero) r--;
                    last[c] = r;
                }
            }
    }

    private static bool HasNaN<T>(ReadOnlySpan<T> x) where T : IFloatingPointIeee754<T>
    {
        foreach (T v in x)
            if (T.IsNaN(v)) return true;
        return false;
    }

    /// <summary>Whether the 512-bit paths run for n values: the machine has them and n fills one vector.</summary>
    private static bool Wide<T>(int n) where T : unmanaged =>
        Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported && (typeof(T) == typeof(float) || typeof(T) == typeof(double)) && n >= Vector512<T>.Count;

    /// <summary>Whether the 256-bit paths run for n values (AVX2, or Arm's emulated 256-bit vectors).</summary>
    private static bool Narrow<T>(int n) where T : unmanaged =>
        Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported && (typeof(T) == typeof(float) || typeof(T) == typeof(double)) && n >= Vector256<T>.Count;

    /// <summary>A mask of the top <paramref name="count"/> lanes (0 &lt; count &lt; one vector).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec FreshLanes<T, TVec, TSimd>(int count) where T : unmanaged where TVec : struct where TSimd : ISimd<TVec, T> =>
        TSimd.AndNot(TSimd.Equal(TSimd.Zero, TSimd.Zero), TSimd.FirstLanes(TSimd.Count - count));
}
