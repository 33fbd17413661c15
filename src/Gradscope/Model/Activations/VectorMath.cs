using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Gradscope.Model.Activations;

/// <summary>e^x, ln x and tanh x on vectors of float or double, for the activation operators' vector forms.</summary>
internal static class VectorMath
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Exp<T>(Vector256<T> x) where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? Vector256.Exp(x.AsSingle()).As<float, T>() : Vector256.Exp(x.AsDouble()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Exp<T>(Vector512<T> x) where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? Vector512.Exp(x.AsSingle()).As<float, T>() : Vector512.Exp(x.AsDouble()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Log<T>(Vector256<T> x) where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? Vector256.Log(x.AsSingle()).As<float, T>() : Vector256.Log(x.AsDouble()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Log<T>(Vector512<T> x) where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? Vector512.Log(x.AsSingle()).As<float, T>() : Vector512.Log(x.AsDouble()).As<double, T>();

    /// <summary>
    /// tanh u = sign(u)·(1 − 2/(e^{2|u|} + 1)): e^{2|u|} overflows to ∞ for large |u|, giving ±1 exactly, and NaN
    /// stays NaN. Near u = 0 the subtraction loses relative (not absolute) accuracy, which is what 1 ± tanh needs.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Tanh<T>(Vector256<T> u) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var one = Vector256<T>.One;
        var e = Exp(Vector256.Abs(u) + Vector256.Abs(u));
        var magnitude = one - (one + one) / (e + one);
        return Vector256.ConditionalSelect(Vector256.LessThan(u, Vector256<T>.Zero), -magnitude, magnitude);
    }

    /// <inheritdoc cref="Tanh{T}(Vector256{T})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Tanh<T>(Vector512<T> u) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var one = Vector512<T>.One;
        var e = Exp(Vector512.Abs(u) + Vector512.Abs(u));
        var magnitude = one - (one + one) / (e + one);
        return Vector512.ConditionalSelect(Vector512.LessThan(u, Vector512<T>.Zero), -magnitude, magnitude);
    }
}
