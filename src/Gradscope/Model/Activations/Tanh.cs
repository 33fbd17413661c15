using System.Numerics;
using System.Numerics.Tensors;

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
        TensorPrimitives.Multiply(a, a, sigmaPrime);
        TensorPrimitives.Subtract(T.One, sigmaPrime, sigmaPrime);
    }

    public override double Invoke(double z) => Math.Tanh(z);

    public override double Derivative(double z)
    {
        double t = Math.Tanh(z);
        return 1.0 - t * t;
    }
}
