using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Gradscope.Numerics;

/// <summary>
/// Per-thread packing buffers of the packed GEMM path: allocated once per thread and element type, on the pinned
/// heap so raw pointers into them stay valid, and aligned to a cache line so packed panels load aligned.
/// Each pool worker and each calling thread gets its own, so tiles never share scratch space.
/// </summary>
internal static unsafe class GemmBuffers<T>
    where T : unmanaged
{
    [ThreadStatic] private static T[]? t_a;
    [ThreadStatic] private static T[]? t_b;
    [ThreadStatic] private static T* t_aStart;
    [ThreadStatic] private static T* t_bStart;

    public static T* A(int length)
    {
        if (t_a is null || t_a.Length < length + 64) t_aStart = Allocate(length, out t_a);
        return t_aStart;
    }

    public static T* B(int length)
    {
        if (t_b is null || t_b.Length < length + 64) t_bStart = Allocate(length, out t_b);
        return t_bStart;
    }

    private static T* Allocate(int length, out T[] array)
    {
        array = GC.AllocateUninitializedArray<T>(length + 64, pinned: true);
        nint start = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
        return (T*)((start + 63) & ~(nint)63);
    }
}
