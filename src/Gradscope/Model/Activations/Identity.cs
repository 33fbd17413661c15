using System.Numerics;
using System.Runtime.Intrinsics;

namespace Gradscope.Model.Activations;

/// <summary>σ(z) = z, σ'(z) = 1: a deep linear net, the cleanest case of products of weights.</summary>
public sealed class Identity : Activation
{
    public static Identity Instance { get; } = new();
    public override string Name => "identity";
    public override double MaxDerivative => 1.0;

    public override void Forward<T>(ReadOnlySpan<T> z, Span<T> a, Span<T> sigmaPrime) =>
        ActivationKernel.Forward<IdentityOperator<T>, T>(default, z, a, sigmaPrime);

    public override double Invoke(double z) => z;
    public override double Derivative(double z) => 1.0;
}

/// <summary>σ(z) = z, σ' = 1.</summary>
internal readonly struct IdentityOperator<T> : IActivationOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool Vectorizable => true;

    public T Invoke(T z, out T derivative)
    {
        derivative = T.One;
        return z;
    }

    public Vector256<T> Invoke(Vector256<T> z, out Vector256<T> derivative)
    {
        derivative = Vector256<T>.One;
        return z;
    }

    public Vector512<T> Invoke(Vector512<T> z, out Vector512<T> derivative)
    {
        derivative = Vector512<T>.One;
        return z;
    }
}
