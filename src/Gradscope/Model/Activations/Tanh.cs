using System.Numerics;
using System.Runtime.Intrinsics;

namespace Gradscope.Model.Activations;

/// <summary>σ(z) = tanh z, σ'(z) = 1 − tanh² z ≤ 1.</summary>
public sealed class Tanh : Activation
{
    public static Tanh Instance { get; } = new();
    public override string Name => "tanh";
    public override double MaxDerivative => 1.0;

    // Its own operator, not TensorPrimitives.Tanh: that one's bits depended on where the span sat in memory (which
    // elements took which path), so the same seed could give different runs. See TanhOperator.
    public override void Forward<T>(ReadOnlySpan<T> z, Span<T> a, Span<T> sigmaPrime) =>
        ActivationKernel.Forward(default(TanhOperator<T>), z, a, sigmaPrime);

    public override double Invoke(double z) => Math.Tanh(z);

    public override double Derivative(double z)
    {
        double t = Math.Tanh(z);
        return 1.0 - t * t;
    }
}

/// <summary>
/// tanh z and 1 − tanh² z from one e^x per element, the same operations in scalar and vector form (only e^x differs:
/// T.Exp against Vector256/512.Exp), so a result depends on the values and the span's length, never its alignment.
/// With y = |z|: for y &lt; ½ the Taylor series y·(1 + y²·Q(y²)) to y³³ (truncation ≤ 1e-17 relative), σ' = 1 − m²;
/// otherwise e = e^{−2y} ∈ [0, e^{−1}], r = 1/(1 + e), m = (1 − e)·r and σ' = 4e·r² (= (1 − m)(1 + m) without the
/// cancellation as m → 1). The sign of z is copied onto m: tanh(−0) = −0, ±∞ → ±1 with σ' = 0, NaN → NaN.
/// SigmoidTanhOperatorTests: within 6.5e-16 (float64) and 3.6e-7 (float32) relative of Math.Tanh (σ) and 1/cosh² (σ').
/// </summary>
internal readonly struct TanhOperator<T> : IActivationOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    internal const double Threshold = 0.5;

    /// <summary>Taylor coefficients of tanh y = y + y·Σ c_k y^{2k}, c_1 = −1/3 … c_16 (2^{2n}(2^{2n}−1)B_{2n}/(2n)!).</summary>
    private static readonly double[] Coefficients =
    [
        -0.3333333333333333, 0.13333333333333333, -0.05396825396825397, 0.021869488536155203,
        -0.008863235529902197, 0.003592128036572481, -0.0014558343870513183, 0.000590027440945586,
        -0.00023912911424355248, 9.691537956929451e-05, -3.927832388331683e-05, 1.5918905069328964e-05,
        -6.451689215655431e-06, 2.6147711512907546e-06, -1.0597268320104654e-06, 4.294911078273806e-07,
    ];

    public static bool Vectorizable => true;

    public T Invoke(T z, out T derivative)
    {
        T y = T.Abs(z);
        if (y < T.CreateTruncating(Threshold))
        {
            T y2 = y * y;
            T q = T.CreateTruncating(Coefficients[^1]);
            for (int k = Coefficients.Length - 2; k >= 0; k--) q = q * y2 + T.CreateTruncating(Coefficients[k]);
            T small = y + y * (y2 * q);
            derivative = T.One - small * small;
            return T.CopySign(small, z);
        }
        T e = T.Exp(-(y + y));
        T r = T.One / (T.One + e);
        derivative = T.CreateTruncating(4) * e * r * r;
        return T.CopySign((T.One - e) * r, z);
    }

    public Vector256<T> Invoke(Vector256<T> z, out Vector256<T> derivative)
    {
        var one = Vector256<T>.One;
        var y = Vector256.Abs(z);
        var y2 = y * y;
        var q = Vector256.Create(T.CreateTruncating(Coefficients[^1]));
        for (int k = Coefficients.Length - 2; k >= 0; k--) q = q * y2 + Vector256.Create(T.CreateTruncating(Coefficients[k]));
        var small = y + y * (y2 * q);
        var e = VectorMath.Exp(-(y + y));
        var r = one / (one + e);
        var isSmall = Vector256.LessThan(y, Vector256.Create(T.CreateTruncating(Threshold)));
        derivative = Vector256.ConditionalSelect(isSmall, one - small * small, Vector256.Create(T.CreateTruncating(4)) * e * r * r);
        var m = Vector256.ConditionalSelect(isSmall, small, (one - e) * r);
        return Vector256.ConditionalSelect(Vector256.Create(T.NegativeZero), z, m);
    }

    public Vector512<T> Invoke(Vector512<T> z, out Vector512<T> derivative)
    {
        var one = Vector512<T>.One;
        var y = Vector512.Abs(z);
        var y2 = y * y;
        var q = Vector512.Create(T.CreateTruncating(Coefficients[^1]));
        for (int k = Coefficients.Length - 2; k >= 0; k--) q = q * y2 + Vector512.Create(T.CreateTruncating(Coefficients[k]));
        var small = y + y * (y2 * q);
        var e = VectorMath.Exp(-(y + y));
        var r = one / (one + e);
        var isSmall = Vector512.LessThan(y, Vector512.Create(T.CreateTruncating(Threshold)));
        derivative = Vector512.ConditionalSelect(isSmall, one - small * small, Vector512.Create(T.CreateTruncating(4)) * e * r * r);
        var m = Vector512.ConditionalSelect(isSmall, small, (one - e) * r);
        return Vector512.ConditionalSelect(Vector512.Create(T.NegativeZero), z, m);
    }
}
