using System.Numerics;

namespace Gradscope.Model.Activations;

/// <summary>σ(z) = max(0, z), σ'(z) = 1 for z &gt; 0 else 0 (the subgradient 0 at z = 0).</summary>
public sealed class Relu : Activation
{
    public static Relu Instance { get; } = new();
    public override string Name => "relu";
    public override double MaxDerivative => 1.0;

    public override void Forward<T>(ReadOnlySpan<T> z, Span<T> a, Span<T> sigmaPrime)
    {
        // One fused, vectorised pass for σ and σ' (the derivative used to be a scalar loop of its own).
        ActivationKernel.Forward<ReluOperator<T>, T>(default, z, a, sigmaPrime);
    }

    public override double Invoke(double z) => z > 0 ? z : 0.0;
    public override double Derivative(double z) => z > 0 ? 1.0 : 0.0;
}
