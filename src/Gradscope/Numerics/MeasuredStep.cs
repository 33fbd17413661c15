using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Gradscope.Numerics;

/// <summary>A compile-time switch: generic code over a struct flag is compiled once per flag value, with no test inside its loops.</summary>
internal interface IFlag
{
    static abstract bool On { get; }
}

internal readonly struct Yes : IFlag
{
    public static bool On => true;
}

internal readonly struct No : IFlag
{
    public static bool On => false;
}

/// <summary>
/// The gradient step w ← fma(g, −η, w·decay) over one weight array, summing g², and w² and (w_new − w)² when asked,
/// in the same pass. Each weight is rounded exactly as <c>TensorPrimitives.FusedMultiplyAdd</c> rounds it, so
/// measuring never changes the trajectory.
/// <para>
/// Speed and determinism pull apart here. The vectors must be aligned to the cache line (a 64-byte store that
/// straddles two lines costs twice, which made the pass 25% slower than the plain update), but where a managed
/// array starts within a line changes from run to run, and a sum split across lanes by address would round
/// differently each time. So the accumulators are indexed by address and read back by index: slot (m, p) of the
/// four accumulators m × lanes p collects exactly the weights whose index is ≡ m·W + p (mod 4W), in increasing
/// order, whatever the array's offset o; at the end the lanes are rotated by o and the two accumulators that share a
/// block are blended. The partial vectors at either end are masked (AVX-512 masked loads never fault). Arrays
/// shorter than <see cref="AlignedFrom"/> take a plain pass from index 0 instead, deterministic as it is.
/// </para>
/// </summary>
internal static class MeasuredStep
{
    public static (double GradientSquares, double WeightSquares, double UpdateSquares) Run<T, TDecay, TWeights, TChange>(Span<T> w, ReadOnlySpan<T> g, T decay, T minusEta)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TDecay : struct, IFlag where TWeights : struct, IFlag where TChange : struct, IFlag
    {
        if (w.Length != g.Length) throw new ArgumentException("Weights and gradient differ in length.");
        bool ieee = typeof(T) == typeof(float) || typeof(T) == typeof(double);
        bool vector = Vector512.IsHardwareAccelerated && Avx512F.IsSupported && ieee;
        if (!vector)
            return Vector256.IsHardwareAccelerated && Fma.IsSupported && ieee && w.Length >= Vector256<T>.Count
                ? Narrow<T, TDecay, TWeights, TChange>(w, g, decay, minusEta)
                : Sequential<T, TDecay, TWeights, TChange>(w, g, decay, minusEta);
        if (w.Length < 4 * Vector512<T>.Count) return Sequential<T, TDecay, TWeights, TChange>(w, g, decay, minusEta);
        // Alignment pays on arrays that stream from L2; on small ones its set-up would cost more than it saves.
        return w.Length >= AlignedFrom
            ? Aligned<T, TDecay, TWeights, TChange>(w, g, decay, minusEta)
            : Unaligned<T, TDecay, TWeights, TChange>(w, g, decay, minusEta);
    }

    /// <summary>Arrays at least this long take the cache-line-aligned pass.</summary>
    internal const int AlignedFrom = 4096;

    /// <summary>The same step and sums with vectors taken from index 0 (two accumulators, a masked last vector).</summary>
    private static unsafe (double, double, double) Unaligned<T, TDecay, TWeights, TChange>(Span<T> w, ReadOnlySpan<T> g, T decay, T minusEta)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TDecay : struct, IFlag where TWeights : struct, IFlag where TChange : struct, IFlag
    {
        int width = Vector512<T>.Count, n = w.Length, i = 0;
        fixed (T* pw = w)
        fixed (T* pg = g)
        {
            var step = new Step<T>(decay, minusEta);
            var all = Vector512<T>.AllBitsSet;
            Vector512<T> g0 = Vector512<T>.Zero, g1 = g0, w0 = g0, w1 = g0, d0 = g0, d1 = g0;
            for (; i + 2 * width <= n; i += 2 * width)
            {
                step.Masked<TDecay, TWeights, TChange>(pw + i, pg + i, all, ref g0, ref w0, ref d0);
                step.Masked<TDecay, TWeights, TChange>(pw + i + width, pg + i + width, all, ref g1, ref w1, ref d1);
            }
            for (; i + width <= n; i += width) step.Masked<TDecay, TWeights, TChange>(pw + i, pg + i, all, ref g0, ref w0, ref d0);
            if (i < n) step.Masked<TDecay, TWeights, TChange>(pw + i, pg + i, Simd512<T>.FirstLanes(n - i), ref g1, ref w1, ref d1);
            return (double.CreateTruncating(Vector512.Sum(g0 + g1)),
                TWeights.On ? double.CreateTruncating(Vector512.Sum(w0 + w1)) : double.NaN,
                TChange.On ? double.CreateTruncating(Vector512.Sum(d0 + d1)) : double.NaN);
        }
    }

    private static unsafe (double, double, double) Aligned<T, TDecay, TWeights, TChange>(Span<T> w, ReadOnlySpan<T> g, T decay, T minusEta)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TDecay : struct, IFlag where TWeights : struct, IFlag where TChange : struct, IFlag
    {
        int width = Vector512<T>.Count, n = w.Length;
        fixed (T* w0 = w)
        fixed (T* g0 = g)
        {
            // Positions q = index + o, where o is how far the first weight sits into its cache line; vector j holds
            // positions [jW, jW + W), and vector j of g is read from the same indices (unaligned, loads only).
            int o = (int)((nuint)w0 % 64) / sizeof(T);
            T* pw = w0 - o, pg = g0 - o;
            int total = n + o, whole = total / width;
            var step = new Step<T>(decay, minusEta);
            var zero = Vector512<T>.Zero;
            Vector512<T> g0a = zero, g1a = zero, g2a = zero, g3a = zero, w0a = zero, w1a = zero, w2a = zero, w3a = zero;
            Vector512<T> d0a = zero, d1a = zero, d2a = zero, d3a = zero;

            // Vector 0, masked to the lanes from the first weight on; it goes to accumulator 0 like any j ≡ 0.
            int j = 0;
            if (o > 0)
            {
                step.Masked<TDecay, TWeights, TChange>(pw, pg, ~Simd512<T>.FirstLanes(o), ref g0a, ref w0a, ref d0a);
                j = 1;
            }
            // Whole vectors: four per iteration, vector j into accumulator j mod 4.
            for (; j < whole && (j & 3) != 0; j++) Route<T, TDecay, TWeights, TChange>(step, pw, pg, j, null, ref g0a, ref w0a, ref d0a, ref g1a, ref w1a, ref d1a, ref g2a, ref w2a, ref d2a, ref g3a, ref w3a, ref d3a);
            for (; j + 4 <= whole; j += 4)
            {
                step.Whole<TDecay, TWeights, TChange>(pw + j * width, pg + j * width, ref g0a, ref w0a, ref d0a);
                step.Whole<TDecay, TWeights, TChange>(pw + (j + 1) * width, pg + (j + 1) * width, ref g1a, ref w1a, ref d1a);
                step.Whole<TDecay, TWeights, TChange>(pw + (j + 2) * width, pg + (j + 2) * width, ref g2a, ref w2a, ref d2a);
                step.Whole<TDecay, TWeights, TChange>(pw + (j + 3) * width, pg + (j + 3) * width, ref g3a, ref w3a, ref d3a);
            }
            for (; j < whole; j++) Route<T, TDecay, TWeights, TChange>(step, pw, pg, j, null, ref g0a, ref w0a, ref d0a, ref g1a, ref w1a, ref d1a, ref g2a, ref w2a, ref d2a, ref g3a, ref w3a, ref d3a);
            // The last vector, masked to the lanes before the end.
            if (whole * width < total)
                Route<T, TDecay, TWeights, TChange>(step, pw, pg, whole, Simd512<T>.FirstLanes(total - whole * width), ref g0a, ref w0a, ref d0a, ref g1a, ref w1a, ref d1a, ref g2a, ref w2a, ref d2a, ref g3a, ref w3a, ref d3a);

            return (
                double.CreateTruncating(ByIndex(o, g0a, g1a, g2a, g3a)),
                TWeights.On ? double.CreateTruncating(ByIndex(o, w0a, w1a, w2a, w3a)) : double.NaN,
                TChange.On ? double.CreateTruncating(ByIndex(o, d0a, d1a, d2a, d3a)) : double.NaN);
        }
    }

    /// <summary>Vector j (whole, or masked when <paramref name="mask"/> is set) into accumulator j mod 4.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Route<T, TDecay, TWeights, TChange>(in Step<T> step, T* pw, T* pg, int j, Vector512<T>? mask,
        ref Vector512<T> g0, ref Vector512<T> w0, ref Vector512<T> d0, ref Vector512<T> g1, ref Vector512<T> w1, ref Vector512<T> d1,
        ref Vector512<T> g2, ref Vector512<T> w2, ref Vector512<T> d2, ref Vector512<T> g3, ref Vector512<T> w3, ref Vector512<T> d3)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TDecay : struct, IFlag where TWeights : struct, IFlag where TChange : struct, IFlag
    {
        T* a = pw + j * Vector512<T>.Count, b = pg + j * Vector512<T>.Count;
        var m = mask ?? Vector512<T>.AllBitsSet;
        switch (j & 3)
        {
            case 0: step.Masked<TDecay, TWeights, TChange>(a, b, m, ref g0, ref w0, ref d0); break;
            case 1: step.Masked<TDecay, TWeights, TChange>(a, b, m, ref g1, ref w1, ref d1); break;
            case 2: step.Masked<TDecay, TWeights, TChange>(a, b, m, ref g2, ref w2, ref d2); break;
            default: step.Masked<TDecay, TWeights, TChange>(a, b, m, ref g3, ref w3, ref d3); break;
        }
    }

    /// <summary>
    /// The sum of the four accumulators in an order fixed by index: rotate each by <paramref name="o"/> lanes, so
    /// lane p of accumulator m holds index class m·W + p, except lanes p ≥ W − o, which hold block m − 1 and are
    /// taken from accumulator m + 1 instead.
    /// </summary>
    private static T ByIndex<T>(int o, Vector512<T> a0, Vector512<T> a1, Vector512<T> a2, Vector512<T> a3)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (o == 0) return Vector512.Sum((a0 + a1) + (a2 + a3));
        int width = Vector512<T>.Count;
        Vector512<T> r0 = Rotate(a0, o), r1 = Rotate(a1, o), r2 = Rotate(a2, o), r3 = Rotate(a3, o);
        var own = Simd512<T>.FirstLanes(width - o);
        var s0 = Vector512.ConditionalSelect(own, r0, r1);
        var s1 = Vector512.ConditionalSelect(own, r1, r2);
        var s2 = Vector512.ConditionalSelect(own, r2, r3);
        var s3 = Vector512.ConditionalSelect(own, r3, r0);
        return Vector512.Sum((s0 + s1) + (s2 + s3));
    }

    /// <summary>Lane p of the result is lane (p + o) mod W of <paramref name="v"/>.</summary>
    private static Vector512<T> Rotate<T>(Vector512<T> v, int o) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            var control = (Vector512<int>.Indices + Vector512.Create(o)) & Vector512.Create(15);
            return Avx512F.PermuteVar16x32(v.AsSingle(), control).As<float, T>();
        }
        var control64 = (Vector512<long>.Indices + Vector512.Create((long)o)) & Vector512.Create(7L);
        return Avx512F.PermuteVar8x64(v.AsDouble(), control64).As<double, T>();
    }

    /// <summary>The same step and sums with 256-bit vectors from index 0, for machines with AVX2 but not AVX-512.</summary>
    private static (double, double, double) Narrow<T, TDecay, TWeights, TChange>(Span<T> w, ReadOnlySpan<T> g, T decay, T minusEta)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TDecay : struct, IFlag where TWeights : struct, IFlag where TChange : struct, IFlag
    {
        int width = Vector256<T>.Count, n = w.Length, i = 0;
        ref T pw = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(w);
        ref T pg = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(g);
        var vDecay = Vector256.Create(decay);
        var vEta = Vector256.Create(minusEta);
        Vector256<T> g0 = Vector256<T>.Zero, g1 = g0, w0 = g0, w1 = g0, d0 = g0, d1 = g0;
        for (; i + 2 * width <= n; i += 2 * width)
        {
            Narrow<T, TDecay, TWeights, TChange>(ref pw, ref pg, i, vDecay, vEta, ref g0, ref w0, ref d0);
            Narrow<T, TDecay, TWeights, TChange>(ref pw, ref pg, i + width, vDecay, vEta, ref g1, ref w1, ref d1);
        }
        for (; i + width <= n; i += width) Narrow<T, TDecay, TWeights, TChange>(ref pw, ref pg, i, vDecay, vEta, ref g0, ref w0, ref d0);
        return Scalar<T, TDecay, TWeights, TChange>(w, g, i, decay, minusEta, Vector256.Sum(g0 + g1), Vector256.Sum(w0 + w1), Vector256.Sum(d0 + d1));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Narrow<T, TDecay, TWeights, TChange>(ref T pw, ref T pg, int i, Vector256<T> decay, Vector256<T> minusEta,
        ref Vector256<T> gg, ref Vector256<T> ww, ref Vector256<T> dd)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TDecay : struct, IFlag where TWeights : struct, IFlag where TChange : struct, IFlag
    {
        var wv = Vector256.LoadUnsafe(ref pw, (nuint)i);
        var gv = Vector256.LoadUnsafe(ref pg, (nuint)i);
        var next = Simd256<T>.MultiplyAdd(gv, minusEta, TDecay.On ? wv * decay : wv);
        next.StoreUnsafe(ref pw, (nuint)i);
        gg = Simd256<T>.MultiplyAdd(gv, gv, gg);
        if (TWeights.On) ww = Simd256<T>.MultiplyAdd(wv, wv, ww);
        if (TChange.On)
        {
            var d = next - wv;
            dd = Simd256<T>.MultiplyAdd(d, d, dd);
        }
    }

    /// <summary>The same step and sums, one weight at a time, for short arrays and machines without vectors.</summary>
    private static (double, double, double) Sequential<T, TDecay, TWeights, TChange>(Span<T> w, ReadOnlySpan<T> g, T decay, T minusEta)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TDecay : struct, IFlag where TWeights : struct, IFlag where TChange : struct, IFlag =>
        Scalar<T, TDecay, TWeights, TChange>(w, g, 0, decay, minusEta, T.Zero, T.Zero, T.Zero);

    /// <summary>Weights <paramref name="from"/> … end one at a time, adding to sums already begun.</summary>
    private static (double, double, double) Scalar<T, TDecay, TWeights, TChange>(Span<T> w, ReadOnlySpan<T> g, int from, T decay, T minusEta, T gg, T ww, T dd)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TDecay : struct, IFlag where TWeights : struct, IFlag where TChange : struct, IFlag
    {
        for (int i = from; i < w.Length; i++)
        {
            T before = w[i], gi = g[i];
            T next = T.FusedMultiplyAdd(gi, minusEta, TDecay.On ? before * decay : before);
            w[i] = next;
            T d = next - before;
            gg = T.FusedMultiplyAdd(gi, gi, gg);
            ww = T.FusedMultiplyAdd(before, before, ww);
            dd = T.FusedMultiplyAdd(d, d, dd);
        }
        return (double.CreateTruncating(gg),
            TWeights.On ? double.CreateTruncating(ww) : double.NaN,
            TChange.On ? double.CreateTruncating(dd) : double.NaN);
    }

    /// <summary>One vector of the step: the update and its contributions to the sums.</summary>
    private readonly unsafe struct Step<T>(T decay, T minusEta) where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly Vector512<T> _decay = Vector512.Create(decay), _minusEta = Vector512.Create(minusEta);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Whole<TDecay, TWeights, TChange>(T* pw, T* pg, ref Vector512<T> gg, ref Vector512<T> ww, ref Vector512<T> dd)
            where TDecay : struct, IFlag where TWeights : struct, IFlag where TChange : struct, IFlag
        {
            var wv = Vector512.LoadAligned(pw);
            var gv = Vector512.Load(pg);
            var next = Simd512<T>.MultiplyAdd(gv, _minusEta, TDecay.On ? wv * _decay : wv);
            next.StoreAligned(pw);
            Sums<TWeights, TChange>(wv, gv, next, ref gg, ref ww, ref dd);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Masked<TDecay, TWeights, TChange>(T* pw, T* pg, Vector512<T> mask, ref Vector512<T> gg, ref Vector512<T> ww, ref Vector512<T> dd)
            where TDecay : struct, IFlag where TWeights : struct, IFlag where TChange : struct, IFlag
        {
            var wv = Simd512<T>.MaskedLoad(pw, mask);
            var gv = Simd512<T>.MaskedLoad(pg, mask);
            var next = Simd512<T>.MultiplyAdd(gv, _minusEta, TDecay.On ? wv * _decay : wv);
            Simd512<T>.MaskedStore(next, pw, mask);
            Sums<TWeights, TChange>(wv, gv, next, ref gg, ref ww, ref dd);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Sums<TWeights, TChange>(Vector512<T> wv, Vector512<T> gv, Vector512<T> next, ref Vector512<T> gg, ref Vector512<T> ww, ref Vector512<T> dd)
            where TWeights : struct, IFlag where TChange : struct, IFlag
        {
            gg = Simd512<T>.MultiplyAdd(gv, gv, gg);
            if (TWeights.On) ww = Simd512<T>.MultiplyAdd(wv, wv, ww);
            if (TChange.On)
            {
                var d = next - wv;
                dd = Simd512<T>.MultiplyAdd(d, d, dd);
            }
        }
    }
}
