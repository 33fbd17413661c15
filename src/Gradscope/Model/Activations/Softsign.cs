using System.Numerics;
using System.Runtime.Intrinsics;

namespace Gradscope.Model.Activations;

/// <summary>σ(z) = z/(1+|z|), σ'(z) = 1/(1+|z|)²: saturates polynomially, not exponentially (Glorot &amp; Bengio 2010).</summary>
public sealed class Softsign : Activation
{
    public static Softsign Instance { get; } = new();
    public override string Name => "softsign";
    public override double MaxDerivative => 1.0;

    public override void Forward<T>(ReadOnlySpan<T> z, Span<T> a, Span<T> sigmaPrime) =>
        ActivationKernel.Forward<SoftsignOperator<T>, T>(default, z, a, sigmaPrime);

    public override double Invoke(double z) => z / (1.0 + Math.Abs(z));

    public override double Derivative(double z)
    {
        double d = 1.0 + Math.Abs(z);
        return 1.0 / (d * d);
    }
}

/// <summary>d = 1/(1+|z|), σ = z·d, σ' = d·d: one division per element, shared by σ and σ'.</summary>
internal readonly struct SoftsignOperator<T> : IActivationOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool Vectorizable => true;

    public T Invoke(T z, out T derivative)
    {
        T d = T.One / (T.One + T.Abs(z));
        derivative = d * d;
        return z * d;
    }

    public Vector256<T> Invoke(Vector256<T> z, out Vector256<T> derivative)
    {
        var d = Vector256<T>.One / (Vector256<T>.One + Vector256.Abs(z));
        derivative = d * d;
        return z * d;
    }

    public Vector512<T> Invoke(Vector512<T> z, out Vector512<T> derivative)
    {
        var d = Vector512<T>.One / (Vector512<T>.One + Vector512.Abs(z));
        derivative = d * d;
        return z * d;
    }
}
