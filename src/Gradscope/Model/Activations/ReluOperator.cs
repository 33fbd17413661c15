using System.Numerics;
using System.Runtime.Intrinsics;

namespace Gradscope.Model.Activations;

/// <summary>σ(z) = max(0, z), σ'(z) = 1 for z &gt; 0 else 0, both from one comparison per lane.</summary>
internal readonly struct ReluOperator<T> : IActivationOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Invoke(T z, out T derivative)
    {
        derivative = z > T.Zero ? T.One : T.Zero;
        return T.Max(z, T.Zero);
    }

    public static Vector512<T> Invoke(Vector512<T> z, out Vector512<T> derivative)
    {
        var positive = Vector512.GreaterThan(z, Vector512<T>.Zero);
        derivative = positive & Vector512<T>.One;
        // Max, not a select on the mask: it keeps NaN and returns +0 for −0, exactly as TensorPrimitives.Max did.
        return Vector512.Max(z, Vector512<T>.Zero);
    }
}
