using System.Numerics;
using System.Runtime.Intrinsics;

namespace Gradscope.Model.Activations;

/// <summary>σ(z) = 1/(1+e^{−z}), σ'(z) = σ(z)(1−σ(z)) ≤ 1/4: the factor that makes deep sigmoid nets vanish.</summary>
public sealed class Sigmoid : Activation
{
    public static Sigmoid Instance { get; } = new();
    public override string Name => "sigmoid";
    public override double MaxDerivative => 0.25;

    // Its own operator, not TensorPrimitives.Sigmoid, whose bits could depend on the span's alignment. See SigmoidOperator.
    public override void Forward<T>(ReadOnlySpan<T> z, Span<T> a, Span<T> sigmaPrime) =>
        ActivationKernel.Forward(default(SigmoidOperator<T>), z, a, sigmaPrime);

    public override double Invoke(double z) => 1.0 / (1.0 + Math.Exp(-z));

    public override double Derivative(double z)
    {
        double s = Invoke(z);
        return s * (1.0 - s);
    }
}

/// <summary>
/// σ and σ' from one e^x per element, the same operations in scalar and vector form (only e^x differs: T.Exp against
/// Vector256/512.Exp), so a result depends on the values and the span's length, never its alignment. With
/// e = e^{−|z|} ∈ [0, 1] (never overflows) and r = 1/(1 + e): σ = r for z ≥ 0, e·r for z &lt; 0 (relative accuracy
/// in the negative tail, where 1/(1 + e^{−z}) would flush to 0), and σ' = e·r² (= σ(1 − σ) without the cancellation
/// as σ → 1), capped at ¼ (float32's vector e^0 is 1 + 1 ulp, which would give σ'(0) = ¼ + 1 ulp). ±∞ → 1 or 0
/// with σ' = 0, NaN → NaN. SigmoidTanhOperatorTests: within 6.5e-16 (float64) and 3.6e-7
/// (float32) relative of the float64 formula.
/// </summary>
internal readonly struct SigmoidOperator<T> : IActivationOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool Vectorizable => true;

    public T Invoke(T z, out T derivative)
    {
        T e = T.Exp(-T.Abs(z));
        T r = T.One / (T.One + e);
        derivative = T.Min(e * r * r, T.CreateTruncating(0.25));
        return z < T.Zero ? e * r : r;
    }

    public Vector256<T> Invoke(Vector256<T> z, out Vector256<T> derivative)
    {
        var e = VectorMath.Exp(-Vector256.Abs(z));
        var r = Vector256<T>.One / (Vector256<T>.One + e);
        derivative = Vector256.Min(e * r * r, Vector256.Create(T.CreateTruncating(0.25)));
        return Vector256.ConditionalSelect(Vector256.LessThan(z, Vector256<T>.Zero), e * r, r);
    }

    public Vector512<T> Invoke(Vector512<T> z, out Vector512<T> derivative)
    {
        var e = VectorMath.Exp(-Vector512.Abs(z));
        var r = Vector512<T>.One / (Vector512<T>.One + e);
        derivative = Vector512.Min(e * r * r, Vector512.Create(T.CreateTruncating(0.25)));
        return Vector512.ConditionalSelect(Vector512.LessThan(z, Vector512<T>.Zero), e * r, r);
    }
}
