using System.Numerics;
using System.Runtime.Intrinsics;

namespace Gradscope.Model.Activations;

/// <summary>σ(z) = max(0, z), σ'(z) = 1 for z &gt; 0 else 0, both from one comparison per lane.</summary>
internal readonly struct ReluOperator<T> : IActivationOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool Vectorizable => true;

    public T Invoke(T z, out T derivative)
    {
        derivative = z > T.Zero ? T.One : T.Zero;
        return T.Max(z, T.Zero);
    }

    // Max, not a select on the mask: it keeps NaN and returns +0 for −0, exactly as TensorPrimitives.Max did.
    public Vector256<T> Invoke(Vector256<T> z, out Vector256<T> derivative)
    {
        derivative = Vector256.GreaterThan(z, Vector256<T>.Zero) & Vector256<T>.One;
        return Vector256.Max(z, Vector256<T>.Zero);
    }

    public Vector512<T> Invoke(Vector512<T> z, out Vector512<T> derivative)
    {
        derivative = Vector512.GreaterThan(z, Vector512<T>.Zero) & Vector512<T>.One;
        return Vector512.Max(z, Vector512<T>.Zero);
    }
}
