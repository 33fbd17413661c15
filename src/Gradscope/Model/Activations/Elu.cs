using System.Globalization;
using System.Numerics;
using System.Runtime.Intrinsics;

namespace Gradscope.Model.Activations;

/// <summary>σ(z) = z for z &gt; 0 else α(e^z − 1); σ' = 1 or σ(z) + α (Clevert et al. 2015).</summary>
public sealed class Elu : Activation
{
    public Elu(double alpha)
    {
        if (!double.IsFinite(alpha) || alpha <= 0)
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, $"ELU α must be positive, got {alpha}.");
        Alpha = alpha;
    }

    public double Alpha { get; }
    public override string Name => Alpha == 1.0 ? "elu" : "elu:" + Alpha.ToString("R", CultureInfo.InvariantCulture);
    public override double MaxDerivative => Math.Max(1.0, Alpha);

    public override void Forward<T>(ReadOnlySpan<T> z, Span<T> a, Span<T> sigmaPrime) =>
        ActivationKernel.Forward(new EluOperator<T>(T.One, T.CreateChecked(Alpha)), z, a, sigmaPrime);

    public override double Invoke(double z) => z > 0 ? z : Alpha * (Math.Exp(z) - 1.0);
    public override double Derivative(double z) => z > 0 ? 1.0 : Alpha * Math.Exp(z);
}

/// <summary>
/// σ(z) = λz for z &gt; 0 else λα(e^z − 1), σ' = λ or λα·e^z (ELU: λ = 1; SELU: Klambauer's λ and α), one e^z for
/// both. Scalar only: a vector e^z is not Math.Exp to the last bit, and runs were recorded with Math.Exp; the vector
/// forms are here for when a measured last-bit change is accepted (as GELU's was).
/// </summary>
internal readonly struct EluOperator<T>(T lambda, T lambdaAlpha) : IActivationOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T _lambdaAlpha = lambdaAlpha;

    public static bool Vectorizable => false;

    public T Invoke(T z, out T derivative)
    {
        if (z > T.Zero)
        {
            derivative = lambda;
            return lambda * z;
        }
        T e = T.Exp(z);
        derivative = _lambdaAlpha * e;
        return _lambdaAlpha * (e - T.One);
    }

    public Vector256<T> Invoke(Vector256<T> z, out Vector256<T> derivative)
    {
        var positive = Vector256.GreaterThan(z, Vector256<T>.Zero);
        var e = VectorMath.Exp(z);
        var scale = Vector256.Create(_lambdaAlpha);
        derivative = Vector256.ConditionalSelect(positive, Vector256.Create(lambda), scale * e);
        return Vector256.ConditionalSelect(positive, Vector256.Create(lambda) * z, scale * (e - Vector256<T>.One));
    }

    public Vector512<T> Invoke(Vector512<T> z, out Vector512<T> derivative)
    {
        var positive = Vector512.GreaterThan(z, Vector512<T>.Zero);
        var e = VectorMath.Exp(z);
        var scale = Vector512.Create(_lambdaAlpha);
        derivative = Vector512.ConditionalSelect(positive, Vector512.Create(lambda), scale * e);
        return Vector512.ConditionalSelect(positive, Vector512.Create(lambda) * z, scale * (e - Vector512<T>.One));
    }
}
