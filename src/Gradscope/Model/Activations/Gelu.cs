using System.Numerics;

namespace Gradscope.Model.Activations;

/// <summary>
/// GELU in its tanh form (Hendrycks &amp; Gimpel 2016): σ(z) = ½z(1 + tanh u), u = √(2/π)(z + 0.044715z³).
/// The tanh form is used so that σ' is the exact derivative of the σ we compute (within 1e-3 of the erf form).
/// </summary>
public sealed class Gelu : Activation
{
    private const double C = 0.79788456080286535587989211986876; // √(2/π)
    private const double K = 0.044715;

    public static Gelu Instance { get; } = new();
    public override string Name => "gelu";
    public override double MaxDerivative => 1.1289;

    public override void Forward<T>(ReadOnlySpan<T> z, Span<T> a, Span<T> sigmaPrime)
    {
        T half = T.CreateChecked(0.5);
        T c = T.CreateChecked(C);
        T k = T.CreateChecked(K);
        T k3 = T.CreateChecked(3 * K);
        for (int i = 0; i < z.Length; i++)
        {
            T x = z[i];
            T t = T.Tanh(c * (x + k * x * x * x));
            a[i] = half * x * (T.One + t);
            sigmaPrime[i] = half * (T.One + t) + half * x * (T.One - t * t) * c * (T.One + k3 * x * x);
        }
    }

    public override double Invoke(double z) => 0.5 * z * (1.0 + Math.Tanh(C * (z + K * z * z * z)));

    public override double Derivative(double z)
    {
        double t = Math.Tanh(C * (z + K * z * z * z));
        return 0.5 * (1.0 + t) + 0.5 * z * (1.0 - t * t) * C * (1.0 + 3 * K * z * z);
    }
}
