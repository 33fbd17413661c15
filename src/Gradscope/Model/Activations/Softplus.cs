using System.Numerics;
using System.Runtime.Intrinsics;

namespace Gradscope.Model.Activations;

/// <summary>σ(z) = ln(1 + e^z), computed as max(z,0) + ln(1 + e^{−|z|}) to avoid overflow; σ'(z) = logistic(z).</summary>
public sealed class Softplus : Activation
{
    public static Softplus Instance { get; } = new();
    public override string Name => "softplus";
    public override double MaxDerivative => 1.0;

    public override void Forward<T>(ReadOnlySpan<T> z, Span<T> a, Span<T> sigmaPrime) =>
        ActivationKernel.Forward<SoftplusOperator<T>, T>(default, z, a, sigmaPrime);

    public override double Invoke(double z) => Math.Max(z, 0.0) + Math.Log(1.0 + Math.Exp(-Math.Abs(z)));
    public override double Derivative(double z) => 1.0 / (1.0 + Math.Exp(-z));
}

/// <summary>
/// e = e^{−|z|} once for both: σ = max(z, 0) + ln(1 + e), σ' = 1/(1 + e) or e/(1 + e) (logistic(z), stable for
/// either sign). Scalar only, like <see cref="EluOperator{T}"/>: vector e^z and ln are not Math.Exp and Math.LogP1
/// to the last bit (and there is no vector ln(1 + x), so the vector form loses relative accuracy of σ far below 0).
/// </summary>
internal readonly struct SoftplusOperator<T> : IActivationOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool Vectorizable => false;

    public T Invoke(T z, out T derivative)
    {
        T e = T.Exp(-T.Abs(z));
        derivative = z >= T.Zero ? T.One / (T.One + e) : e / (T.One + e);
        return T.Max(z, T.Zero) + T.LogP1(e);
    }

    public Vector256<T> Invoke(Vector256<T> z, out Vector256<T> derivative)
    {
        var e = VectorMath.Exp(-Vector256.Abs(z));
        var onePlus = Vector256<T>.One + e;
        derivative = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(z, Vector256<T>.Zero), Vector256<T>.One, e) / onePlus;
        return Vector256.Max(z, Vector256<T>.Zero) + VectorMath.Log(onePlus);
    }

    public Vector512<T> Invoke(Vector512<T> z, out Vector512<T> derivative)
    {
        var e = VectorMath.Exp(-Vector512.Abs(z));
        var onePlus = Vector512<T>.One + e;
        derivative = Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(z, Vector512<T>.Zero), Vector512<T>.One, e) / onePlus;
        return Vector512.Max(z, Vector512<T>.Zero) + VectorMath.Log(onePlus);
    }
}
