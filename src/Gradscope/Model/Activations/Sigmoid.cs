using System.Numerics;
using System.Numerics.Tensors;

namespace Gradscope.Model.Activations;

/// <summary>σ(z) = 1/(1+e^{−z}), σ'(z) = σ(z)(1−σ(z)) ≤ 1/4: the factor that makes deep sigmoid nets vanish.</summary>
public sealed class Sigmoid : Activation
{
    public static Sigmoid Instance { get; } = new();
    public override string Name => "sigmoid";
    public override double MaxDerivative => 0.25;

    public override void Forward<T>(ReadOnlySpan<T> z, Span<T> a, Span<T> sigmaPrime)
    {
        TensorPrimitives.Sigmoid(z, a);
        // σ' = a − a², computed from a so backprop never calls exp twice.
        TensorPrimitives.Multiply(a, a, sigmaPrime);
        TensorPrimitives.Subtract(a, sigmaPrime, sigmaPrime);
    }

    public override double Invoke(double z) => 1.0 / (1.0 + Math.Exp(-z));

    public override double Derivative(double z)
    {
        double s = Invoke(z);
        return s * (1.0 - s);
    }
}
