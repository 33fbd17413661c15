using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

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
        // σ' = a − a², computed from a so backprop never calls exp twice; one pass (it was a multiply and a subtract).
        ActivationKernel.FromValue<SigmoidDerivative<T>, T>(default, a, sigmaPrime);
    }

    public override double Invoke(double z) => 1.0 / (1.0 + Math.Exp(-z));

    public override double Derivative(double z)
    {
        double s = Invoke(z);
        return s * (1.0 - s);
    }
}

/// <summary>σ' = a − a·a from a = σ(z) (the same operations, in the same order, as the two passes it replaced).</summary>
internal readonly struct SigmoidDerivative<T> : IDerivativeFromValue<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Invoke(T a) => a - a * a;
    public Vector256<T> Invoke(Vector256<T> a) => a - a * a;
    public Vector512<T> Invoke(Vector512<T> a) => a - a * a;
}
