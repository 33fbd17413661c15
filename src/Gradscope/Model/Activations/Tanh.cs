using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace Gradscope.Model.Activations;

/// <summary>σ(z) = tanh z, σ'(z) = 1 − tanh² z ≤ 1.</summary>
public sealed class Tanh : Activation
{
    public static Tanh Instance { get; } = new();
    public override string Name => "tanh";
    public override double MaxDerivative => 1.0;

    public override void Forward<T>(ReadOnlySpan<T> z, Span<T> a, Span<T> sigmaPrime)
    {
        TensorPrimitives.Tanh(z, a);
        ActivationKernel.FromValue<TanhDerivative<T>, T>(default, a, sigmaPrime);
    }

    public override double Invoke(double z) => Math.Tanh(z);

    public override double Derivative(double z)
    {
        double t = Math.Tanh(z);
        return 1.0 - t * t;
    }
}

/// <summary>σ' = 1 − a·a from a = tanh z.</summary>
internal readonly struct TanhDerivative<T> : IDerivativeFromValue<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Invoke(T a) => T.One - a * a;
    public Vector256<T> Invoke(Vector256<T> a) => Vector256<T>.One - a * a;
    public Vector512<T> Invoke(Vector512<T> a) => Vector512<T>.One - a * a;
}
