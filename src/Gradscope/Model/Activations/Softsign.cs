using System.Numerics;

namespace Gradscope.Model.Activations;

/// <summary>σ(z) = z/(1+|z|), σ'(z) = 1/(1+|z|)²: saturates polynomially, not exponentially (Glorot &amp; Bengio 2010).</summary>
public sealed class Softsign : Activation
{
    public static Softsign Instance { get; } = new();
    public override string Name => "softsign";
    public override double MaxDerivative => 1.0;

    public override void Forward<T>(ReadOnlySpan<T> z, Span<T> a, Span<T> sigmaPrime)
    {
        for (int i = 0; i < z.Length; i++)
        {
            T d = T.One / (T.One + T.Abs(z[i]));
            a[i] = z[i] * d;
            sigmaPrime[i] = d * d;
        }
    }

    public override double Invoke(double z) => z / (1.0 + Math.Abs(z));

    public override double Derivative(double z)
    {
        double d = 1.0 + Math.Abs(z);
        return 1.0 / (d * d);
    }
}
