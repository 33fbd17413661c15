using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Gradscope.Numerics;

/// <summary>AVX2 fallback: only 16 registers, so the packed kernel keeps 6×2 accumulators.</summary>
internal readonly unsafe struct Simd256<T> : ISimd<Vector256<T>, T>
    where T : unmanaged
{
    public static int Count => Vector256<T>.Count;

    public static int KernelRows => 6;

    public static Vector256<T> Zero => Vector256<T>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Load(T* source) => Vector256.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<T> value, T* destination) => value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Broadcast(T value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Multiply(Vector256<T> x, Vector256<T> y) => x * y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Add(Vector256<T> x, Vector256<T> y) => x + y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Subtract(Vector256<T> x, Vector256<T> y) => x - y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> MultiplyAdd(Vector256<T> x, Vector256<T> y, Vector256<T> z)
    {
        if (typeof(T) == typeof(float))
            return Vector256.FusedMultiplyAdd(x.AsSingle(), y.AsSingle(), z.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double))
            return Vector256.FusedMultiplyAdd(x.AsDouble(), y.AsDouble(), z.AsDouble()).As<double, T>();
        return x * y + z;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Vector256<T> value) => Vector256.Sum(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> FirstLanes(int count)
    {
        if (typeof(T) == typeof(float))
            return Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(count)).As<int, T>();
        return Vector256.LessThan(Vector256<long>.Indices, Vector256.Create((long)count)).As<long, T>();
    }

    // AVX's vmaskmov does not fault on unset lanes, which is what makes tail loads safe.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> MaskedLoad(T* source, Vector256<T> mask)
    {
        if (Avx.IsSupported && typeof(T) == typeof(float))
            return Avx.MaskLoad((float*)source, mask.AsSingle()).As<float, T>();
        if (Avx.IsSupported && typeof(T) == typeof(double))
            return Avx.MaskLoad((double*)source, mask.AsDouble()).As<double, T>();
        return SoftwareMaskedLoad(source, mask);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MaskedStore(Vector256<T> value, T* destination, Vector256<T> mask)
    {
        if (Avx.IsSupported && typeof(T) == typeof(float))
            Avx.MaskStore((float*)destination, mask.AsSingle(), value.AsSingle());
        else if (Avx.IsSupported && typeof(T) == typeof(double))
            Avx.MaskStore((double*)destination, mask.AsDouble(), value.AsDouble());
        else
            SoftwareMaskedStore(value, destination, mask);
    }

    // Non-x86 hardware (e.g. Arm with 256-bit emulated vectors): go lane by lane; only tails come here.
    private static Vector256<T> SoftwareMaskedLoad(T* source, Vector256<T> mask)
    {
        Vector256<T> result = Vector256<T>.Zero;
        Vector256<byte> bits = mask.AsByte();
        int size = sizeof(T);
        for (int i = 0; i < Count; i++)
            if (bits[i * size] != 0) result = result.WithElement(i, source[i]);
        return result;
    }

    private static void SoftwareMaskedStore(Vector256<T> value, T* destination, Vector256<T> mask)
    {
        Vector256<byte> bits = mask.AsByte();
        int size = sizeof(T);
        for (int i = 0; i < Count; i++)
            if (bits[i * size] != 0) destination[i] = value[i];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> MinNative(Vector256<T> x, Vector256<T> y) => Vector256.MinNative(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> MaxNative(Vector256<T> x, Vector256<T> y) => Vector256.MaxNative(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> LessThan(Vector256<T> x, Vector256<T> y) => Vector256.LessThan(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Equal(Vector256<T> x, Vector256<T> y) => Vector256.Equals(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> And(Vector256<T> x, Vector256<T> y) => x & y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Or(Vector256<T> x, Vector256<T> y) => x | y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> AndNot(Vector256<T> x, Vector256<T> y) => Vector256.AndNot(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Select(Vector256<T> mask, Vector256<T> x, Vector256<T> y) => Vector256.ConditionalSelect(mask, x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int CountSet(Vector256<T> mask) => System.Numerics.BitOperations.PopCount(mask.ExtractMostSignificantBits());
}
