using System.Globalization;
using System.Numerics;

namespace Gradscope.Model.Activations;

/// <summary>σ(z) = z for z &gt; 0 else αz; σ' = 1 or α, so no unit is ever exactly dead.</summary>
public sealed class LeakyRelu : Activation
{
    public LeakyRelu(double alpha)
    {
        if (!double.IsFinite(alpha) || alpha < 0 || alpha >= 1)
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, $"Leaky ReLU slope must be in [0, 1), got {alpha}.");
        Alpha = alpha;
    }

    public double Alpha { get; }
    public override string Name => "leaky-relu:" + Alpha.ToString("R", CultureInfo.InvariantCulture);
    public override double MaxDerivative => 1.0;

    public override void Forward<T>(ReadOnlySpan<T> z, Span<T> a, Span<T> sigmaPrime)
    {
        T alpha = T.CreateChecked(Alpha);
        for (int i = 0; i < z.Length; i++)
        {
            bool positive = z[i] > T.Zero;
            a[i] = positive ? z[i] : alpha * z[i];
            sigmaPrime[i] = positive ? T.One : alpha;
        }
    }

    public override double Invoke(double z) => z > 0 ? z : Alpha * z;
    public override double Derivative(double z) => z > 0 ? 1.0 : Alpha;
}
