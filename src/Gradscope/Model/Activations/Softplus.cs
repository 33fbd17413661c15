using System.Numerics;

namespace Gradscope.Model.Activations;

/// <summary>σ(z) = ln(1 + e^z), computed as max(z,0) + ln(1 + e^{−|z|}) to avoid overflow; σ'(z) = logistic(z).</summary>
public sealed class Softplus : Activation
{
    public static Softplus Instance { get; } = new();
    public override string Name => "softplus";
    public override double MaxDerivative => 1.0;

    public override void Forward<T>(ReadOnlySpan<T> z, Span<T> a, Span<T> sigmaPrime)
    {
        for (int i = 0; i < z.Length; i++)
        {
            T x = z[i];
            T e = T.Exp(-T.Abs(x));
            a[i] = T.Max(x, T.Zero) + T.LogP1(e);
            // logistic(x) from e = e^{−|x|}, stable for either sign.
            sigmaPrime[i] = x >= T.Zero ? T.One / (T.One + e) : e / (T.One + e);
        }
    }

    public override double Invoke(double z) => Math.Max(z, 0.0) + Math.Log(1.0 + Math.Exp(-Math.Abs(z)));
    public override double Derivative(double z) => 1.0 / (1.0 + Math.Exp(-z));
}
