using System.Numerics;
using System.Numerics.Tensors;
using Gradscope.Model;

namespace Gradscope.Tests.Engine;

/// <summary>
/// Every activation's fused operator path against the element-by-element formulation it replaced, bit for bit, at
/// lengths that exercise whole vectors, the overlapping remainder and spans shorter than a vector, with NaN, ±0,
/// ±∞ and tails mixed in. Sigmoid and tanh keep System.Numerics.Tensors for σ, so their reference is that call
/// followed by σ' from a in separate passes, as before.
/// </summary>
public sealed class ActivationOperatorTests
{
    private delegate (T A, T SigmaPrime) Scalar<T>(T z) where T : unmanaged, IFloatingPointIeee754<T>;

    public static TheoryData<string> Names => ["identity", "leaky-relu:0.2", "elu", "elu:0.7", "selu", "softsign", "softplus", "sigmoid", "tanh"];

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
        switch (activation)
        {
            case Gradscope.Model.Activations.Sigmoid:
                TensorPrimitives.Sigmoid<T>(z, a);
                TensorPrimitives.Multiply<T>(a, a, sp);
                TensorPrimitives.Subtract<T>(a, sp, sp);
                return (a, sp);
            case Gradscope.Model.Activations.Tanh:
                TensorPrimitives.Tanh<T>(z, a);
                TensorPrimitives.Multiply<T>(a, a, sp);
                TensorPrimitives.Subtract(T.One, sp, sp);
                return (a, sp);
        }
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
