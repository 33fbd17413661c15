using System.Numerics;
using Gradscope.Model;

namespace Gradscope.Tests.Engine;

/// <summary>
/// Every activation's fused operator path against the element-by-element formulation it replaced, bit for bit, at
/// lengths that exercise whole vectors, the overlapping remainder and spans shorter than a vector, with NaN, ±0,
/// ±∞ and tails mixed in. Sigmoid and tanh have their own e^x formulation now (SigmoidTanhOperatorTests).
/// </summary>
public sealed class ActivationOperatorTests
{
    private delegate (T A, T SigmaPrime) Scalar<T>(T z) where T : unmanaged, IFloatingPointIeee754<T>;

    public static TheoryData<string> Names => ["identity", "leaky-relu:0.2", "elu", "elu:0.7", "selu", "softsign", "softplus"];

    [Theory]
    [MemberData(nameof(Names))]
    public void Forward_AnyLength_BitIdenticalToPreviousFormulation(string name)
    {
        foreach (int length in new[] { 1, 3, 7, 8, 16, 37, 70 })
        {
            Check<float>(name, length);
            Check<double>(name, length);
        }
    }

    private static void Check<T>(string name, int length) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var z = Inputs<T>(length);
        var activation = Activation.Parse(name);
        var a = new T[length];
        var sp = new T[length];
        activation.Forward<T>(z, a, sp);
        var (expectedA, expectedSp) = Previous(activation, z);
        for (int i = 0; i < length; i++)
        {
            Assert.True(Same(expectedA[i], a[i]), $"{name} {typeof(T).Name} n={length} σ({z[i]}): {a[i]} vs {expectedA[i]}");
            Assert.True(Same(expectedSp[i], sp[i]), $"{name} {typeof(T).Name} n={length} σ'({z[i]}): {sp[i]} vs {expectedSp[i]}");
        }
    }

    internal static T[] Inputs<T>(int length) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Gradscope.Numerics.Rng(7);
        var z = new T[length];
        for (int i = 0; i < length; i++) z[i] = T.CreateTruncating(rng.Normal(0, 3));
        T[] special = [T.NaN, T.NegativeZero, T.Zero, T.PositiveInfinity, T.NegativeInfinity, T.Epsilon, T.CreateTruncating(-40.0), T.CreateTruncating(25.0)];
        for (int i = 0; i < Math.Min(length, special.Length); i++) z[(i * 5) % length] = special[i];
        return z;
    }

    private static bool Same<T>(T expected, T actual) where T : unmanaged, IFloatingPointIeee754<T> =>
        BitConverter.DoubleToInt64Bits(double.CreateTruncating(expected)) == BitConverter.DoubleToInt64Bits(double.CreateTruncating(actual))
        || (T.IsNaN(expected) && T.IsNaN(actual));

    /// <summary>The loops each activation ran before it had an operator.</summary>
    private static (T[] A, T[] SigmaPrime) Previous<T>(Activation activation, T[] z) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = z.Length;
        var a = new T[n];
        var sp = new T[n];
        Scalar<T> f = activation switch
        {
            Gradscope.Model.Activations.Identity => x => (x, T.One),
            Gradscope.Model.Activations.LeakyRelu l => x => x > T.Zero ? (x, T.One) : (T.CreateChecked(l.Alpha) * x, T.CreateChecked(l.Alpha)),
            Gradscope.Model.Activations.Elu e => x => x > T.Zero ? (x, T.One)
                : (T.CreateChecked(e.Alpha) * (T.Exp(x) - T.One), T.CreateChecked(e.Alpha) * T.Exp(x)),
            Gradscope.Model.Activations.Selu => x => x > T.Zero
                ? (T.CreateChecked(Gradscope.Model.Activations.Selu.Lambda) * x, T.CreateChecked(Gradscope.Model.Activations.Selu.Lambda))
                : (T.CreateChecked(Gradscope.Model.Activations.Selu.Lambda * Gradscope.Model.Activations.Selu.Alpha) * (T.Exp(x) - T.One),
                   T.CreateChecked(Gradscope.Model.Activations.Selu.Lambda * Gradscope.Model.Activations.Selu.Alpha) * T.Exp(x)),
            Gradscope.Model.Activations.Softsign => x =>
            {
                T d = T.One / (T.One + T.Abs(x));
                return (x * d, d * d);
            },
            Gradscope.Model.Activations.Softplus => x =>
            {
                T e = T.Exp(-T.Abs(x));
                return (T.Max(x, T.Zero) + T.LogP1(e), x >= T.Zero ? T.One / (T.One + e) : e / (T.One + e));
            },
            _ => throw new ArgumentException(activation.Name),
        };
        for (int i = 0; i < n; i++) (a[i], sp[i]) = f(z[i]);
        return (a, sp);
    }
}

/// <summary>
/// GELU's vector path (σ from a vector e^x) against the scalar formula it replaced: in float64 directly; in float32
/// both against the float64 formula, since there the scalar formula's own rounding in the negative tail dominates.
/// </summary>
public sealed class GeluVectorTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public void Forward_VectorPath_WithinLastBitsOfScalarFormula()
    {
        var z64 = Grid<double>();
        var (vector64, scalar64) = (Forward(z64), Scalar(z64));
        var z32 = Grid<float>();
        var truth = Scalar(z32.Select(x => (double)x).ToArray());
        var (vector32, scalar32) = (Forward(z32), Scalar(z32));
        double a64 = Worst(vector64.A, scalar64.A), sp64 = Worst(vector64.SigmaPrime, scalar64.SigmaPrime);
        double a32 = Worst(vector32.A, truth.A), sp32 = Worst(vector32.SigmaPrime, truth.SigmaPrime);
        double was32 = Worst(scalar32.A, truth.A), wasSp32 = Worst(scalar32.SigmaPrime, truth.SigmaPrime);
        output.WriteLine($"float64 vector vs scalar: σ {a64:G3}, σ' {sp64:G3}");
        output.WriteLine($"float32 vs float64 formula: vector σ {a32:G3}, σ' {sp32:G3}; scalar σ {was32:G3}, σ' {wasSp32:G3}");
        Assert.True(a64 < 1e-11 && sp64 < 1e-11, $"float64: {a64}, {sp64}");
        Assert.True(a32 <= Math.Max(was32, 1e-6) && sp32 <= Math.Max(wasSp32, 1e-6), $"float32: {a32}, {sp32} (scalar {was32}, {wasSp32})");
    }

    // z in [−12, 12] by 1e-3: the tails, the σ' zero near −0.75, and the specials.
    private static T[] Grid<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        [.. Enumerable.Range(-12_000, 24_001).Select(i => T.CreateTruncating(i * 1e-3)), .. ActivationOperatorTests.Inputs<T>(70)];

    private static (T[] A, T[] SigmaPrime) Forward<T>(T[] z) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var a = new T[z.Length];
        var sp = new T[z.Length];
        Activation.Parse("gelu").Forward<T>(z, a, sp);
        return (a, sp);
    }

    /// <summary>The scalar formula GELU ran before, element by element.</summary>
    private static (T[] A, T[] SigmaPrime) Scalar<T>(T[] z) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T half = T.CreateChecked(0.5), c = T.CreateChecked(Gradscope.Model.Activations.Gelu.C), k = T.CreateChecked(Gradscope.Model.Activations.Gelu.K);
        T k3 = T.CreateChecked(3 * Gradscope.Model.Activations.Gelu.K);
        var a = new T[z.Length];
        var sp = new T[z.Length];
        for (int i = 0; i < z.Length; i++)
        {
            T x = z[i];
            T t = T.Tanh(c * (x + k * x * x * x));
            a[i] = half * x * (T.One + t);
            sp[i] = half * (T.One + t) + half * x * (T.One - t * t) * c * (T.One + k3 * x * x);
        }
        return (a, sp);
    }

    /// <summary>Max |actual − expected| / max(|expected|, 1e-3) over the finite expected values; NaN must match NaN.</summary>
    private static double Worst<TA, TE>(TA[] actual, TE[] expected)
        where TA : unmanaged, IFloatingPointIeee754<TA> where TE : unmanaged, IFloatingPointIeee754<TE>
    {
        double worst = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            double e = double.CreateTruncating(expected[i]), v = double.CreateTruncating(actual[i]);
            if (!double.IsFinite(e)) continue;
            worst = Math.Max(worst, Math.Abs(e - v) / Math.Max(Math.Abs(e), 1e-3));
        }
        return worst;
    }
}
