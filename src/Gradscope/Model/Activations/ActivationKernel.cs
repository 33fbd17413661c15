using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Gradscope.Model.Activations;

/// <summary>a = σ(z) and σ'(z) in one pass over z, 512 bits at a time, for any <see cref="IActivationOperator{T}"/>.</summary>
internal static class ActivationKernel
{
    public static void Forward<TOperator, T>(ReadOnlySpan<T> z, Span<T> a, Span<T> sigmaPrime)
        where TOperator : struct, IActivationOperator<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (a.Length < z.Length || sigmaPrime.Length < z.Length)
            throw new ArgumentException($"Destinations of {a.Length} and {sigmaPrime.Length} are shorter than z ({z.Length}).");
        int i = 0;
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported)
        {
            ref T zRef = ref MemoryMarshal.GetReference(z);
            ref T aRef = ref MemoryMarshal.GetReference(a);
            ref T spRef = ref MemoryMarshal.GetReference(sigmaPrime);
            for (; i <= z.Length - Vector512<T>.Count; i += Vector512<T>.Count)
            {
                var value = TOperator.Invoke(Vector512.LoadUnsafe(ref zRef, (nuint)i), out var derivative);
                value.StoreUnsafe(ref aRef, (nuint)i);
                derivative.StoreUnsafe(ref spRef, (nuint)i);
            }
        }
        for (; i < z.Length; i++) a[i] = TOperator.Invoke(z[i], out sigmaPrime[i]);
    }
}
