using System.Globalization;
using System.Numerics;

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

    public override void Forward<T>(ReadOnlySpan<T> z, Span<T> a, Span<T> sigmaPrime)
    {
        T alpha = T.CreateChecked(Alpha);
        for (int i = 0; i < z.Length; i++)
        {
            if (z[i] > T.Zero)
            {
                a[i] = z[i];
                sigmaPrime[i] = T.One;
            }
            else
            {
                T e = T.Exp(z[i]);
                a[i] = alpha * (e - T.One);
                sigmaPrime[i] = alpha * e;
            }
        }
    }

    public override double Invoke(double z) => z > 0 ? z : Alpha * (Math.Exp(z) - 1.0);
    public override double Derivative(double z) => z > 0 ? 1.0 : Alpha * Math.Exp(z);
}
