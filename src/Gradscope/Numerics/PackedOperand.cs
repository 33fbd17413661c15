using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Gradscope.Numerics;

/// <summary>
/// op(B) of <see cref="Gemm.Multiply{T}"/> kept in the packed path's panel layout, for many products with the same B:
/// a recurrent layer multiplies by W_hh at every time step, and packing it each time cost about a quarter of those
/// products. The first product after <see cref="Invalidate"/> packs B (all of it, exactly as the per-tile packing
/// would, so results are bit-identical); later ones read the panels. A product that takes the unpacked path ignores it.
/// </summary>
public sealed unsafe class PackedOperand<T> where T : unmanaged
{
    private T[]? _buffer;

    internal T* Start { get; private set; }
    internal bool IsPacked { get; set; }
    internal int K { get; set; }
    internal int N { get; set; }
    internal bool Transposed { get; set; }

    /// <summary>Marks the packed copy out of date: call whenever B's values may have changed.</summary>
    public void Invalidate() => IsPacked = false;

    /// <summary>Room for <paramref name="length"/> values, cache-line aligned on the pinned heap; grows, never shrinks.</summary>
    internal T* Reserve(long length)
    {
        if (_buffer is null || _buffer.Length < length + 64)
        {
            _buffer = GC.AllocateUninitializedArray<T>((int)length + 64, pinned: true);
            nint start = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_buffer));
            Start = (T*)((start + 63) & ~(nint)63);
        }
        return Start;
    }
}
