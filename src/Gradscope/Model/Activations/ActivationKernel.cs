using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Gradscope.Model.Activations;

/// <summary>
/// a = σ(z) and σ'(z) in one pass over z, 512 or 256 bits at a time (the widest the machine accelerates), for any
/// <see cref="IActivationOperator{T}"/>. The remainder is one more whole vector ending at the last element
/// (overlapping the one before), so every element goes through the same vector code.
/// </summary>
internal static class ActivationKernel
{
    public static void Forward<TOperator, T>(TOperator op, ReadOnlySpan<T> z, Span<T> a, Span<T> sigmaPrime)
        where TOperator : struct, IActivationOperator<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (a.Length < z.Length || sigmaPrime.Length < z.Length)
            throw new ArgumentException($"Destinations of {a.Length} and {sigmaPrime.Length} are shorter than z ({z.Length}).");
        int n = z.Length;
        // Recomputing the overlapped elements needs z intact: in place, the remainder goes the scalar way.
        bool overlap = !z.Overlaps(a) && !z.Overlaps(sigmaPrime);
        ref T zRef = ref MemoryMarshal.GetReference(z);
        ref T aRef = ref MemoryMarshal.GetReference(a);
        ref T spRef = ref MemoryMarshal.GetReference(sigmaPrime);
        int i = 0;
        if (TOperator.Vectorizable && Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported && n >= Vector512<T>.Count)
        {
            int width = Vector512<T>.Count;
            for (; i <= n - width; i += width) Step512(op, ref zRef, ref aRef, ref spRef, i);
            if (i < n && overlap)
            {
                Step512(op, ref zRef, ref aRef, ref spRef, n - width);
                i = n;
            }
        }
        else if (TOperator.Vectorizable && Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported && n >= Vector256<T>.Count)
        {
            int width = Vector256<T>.Count;
            for (; i <= n - width; i += width) Step256(op, ref zRef, ref aRef, ref spRef, i);
            if (i < n && overlap)
            {
                Step256(op, ref zRef, ref aRef, ref spRef, n - width);
                i = n;
            }
        }
        for (; i < n; i++) a[i] = op.Invoke(z[i], out sigmaPrime[i]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Step512<TOperator, T>(TOperator op, ref T z, ref T a, ref T sp, int i)
        where TOperator : struct, IActivationOperator<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var value = op.Invoke(Vector512.LoadUnsafe(ref z, (nuint)i), out var derivative);
        value.StoreUnsafe(ref a, (nuint)i);
        derivative.StoreUnsafe(ref sp, (nuint)i);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Step256<TOperator, T>(TOperator op, ref T z, ref T a, ref T sp, int i)
        where TOperator : struct, IActivationOperator<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var value = op.Invoke(Vector256.LoadUnsafe(ref z, (nuint)i), out var derivative);
        value.StoreUnsafe(ref a, (nuint)i);
        derivative.StoreUnsafe(ref sp, (nuint)i);
    }
}
