using System.Globalization;
using System.Numerics;
using System.Runtime.Intrinsics;

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

    public override void Forward<T>(ReadOnlySpan<T> z, Span<T> a, Span<T> sigmaPrime) =>
        ActivationKernel.Forward(new LeakyReluOperator<T>(T.CreateChecked(Alpha)), z, a, sigmaPrime);

    public override double Invoke(double z) => z > 0 ? z : Alpha * z;
    public override double Derivative(double z) => z > 0 ? 1.0 : Alpha;
}

/// <summary>σ(z) = z for z &gt; 0 else αz, σ' = 1 or α, from one comparison per lane.</summary>
internal readonly struct LeakyReluOperator<T>(T alpha) : IActivationOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool Vectorizable => true;

    public T Invoke(T z, out T derivative)
    {
        bool positive = z > T.Zero;
        derivative = positive ? T.One : alpha;
        return positive ? z : alpha * z;
    }

    public Vector256<T> Invoke(Vector256<T> z, out Vector256<T> derivative)
    {
        var positive = Vector256.GreaterThan(z, Vector256<T>.Zero);
        var slope = Vector256.Create(alpha);
        derivative = Vector256.ConditionalSelect(positive, Vector256<T>.One, slope);
        return Vector256.ConditionalSelect(positive, z, slope * z);
    }

    public Vector512<T> Invoke(Vector512<T> z, out Vector512<T> derivative)
    {
        var positive = Vector512.GreaterThan(z, Vector512<T>.Zero);
        var slope = Vector512.Create(alpha);
        derivative = Vector512.ConditionalSelect(positive, Vector512<T>.One, slope);
        return Vector512.ConditionalSelect(positive, z, slope * z);
    }
}
