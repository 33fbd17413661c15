using System.Numerics;
using System.Numerics.Tensors;

namespace Gradscope.Model.Activations;

/// <summary>
/// Output-only softmax a_j = e^{z_j} / Σ_k e^{z_k}, per row. Its "σ'" is the Jacobian's diagonal a_j(1 − a_j),
/// which probes report; backprop never needs it, since log-likelihood gives δ^L = a − y directly.
/// </summary>
public sealed class Softmax : Activation
{
    public static Softmax Instance { get; } = new();
    public override string Name => "softmax";
    public override double MaxDerivative => 0.25;

    public override void Forward<T>(ReadOnlySpan<T> z, Span<T> a, Span<T> sigmaPrime) => ForwardRows(z, a, sigmaPrime, z.Length);

    public override void ForwardRows<T>(ReadOnlySpan<T> z, Span<T> a, Span<T> sigmaPrime, int width)
    {
        for (int start = 0; start < z.Length; start += width)
        {
            var row = a.Slice(start, width);
            TensorPrimitives.SoftMax(z.Slice(start, width), row);
            var sp = sigmaPrime.Slice(start, width);
            TensorPrimitives.Multiply(row, row, sp);
            TensorPrimitives.Subtract(row, sp, sp);
        }
    }

    /// <summary>A one-unit softmax is constantly 1.</summary>
    public override double Invoke(double z) => 1.0;
    public override double Derivative(double z) => 0.0;
}
