using System.Numerics;
using System.Numerics.Tensors;
using Gradscope.Model;
using Xunit.Abstractions;

namespace Gradscope.Tests.Engine;

/// <summary>
/// Sigmoid and tanh compute σ and σ' with their own e^x operators (they used System.Numerics.Tensors, whose tanh gave
/// different last bits for the same values depending on where the span sat in memory). So instead of bit-identity with
/// a previous formulation: (a) accuracy against the float64 formula, through the vector path and the scalar path
/// (spans shorter than a vector); (b) the same values at any alignment give the same bits; (c) so do repeated calls.
/// </summary>
public sealed class SigmoidTanhOperatorTests(ITestOutputHelper output)
{
    public static TheoryData<string> Names => ["sigmoid", "tanh"];

    private static readonly int[] Lengths = [1, 3, 7, 8, 16, 37, 70, 1000];

    // Relative tolerance against the float64 formula, over max(|expected|, floor): a few ulp of T (the reference
    // itself is float64, so for float64 it carries an ulp of its own). The floor only matters where σ or σ' underflow.
    private const double Tolerance64 = 1e-15, Floor64 = 1e-300, Tolerance32 = 4e-7, Floor32 = 1e-37;

    [Theory]
    [MemberData(nameof(Names))]
    public void Forward_WithinUlpsOfFloat64Formula_VectorAndScalarPaths(string name)
    {
        var (a64, sp64) = WorstError<double>(name, vector: true);
        var (s64, ssp64) = WorstError<double>(name, vector: false);
        var (a32, sp32) = WorstError<float>(name, vector: true);
        var (s32, ssp32) = WorstError<float>(name, vector: false);
        output.WriteLine($"{name} float64: vector σ {a64:G3} σ' {sp64:G3}; scalar σ {s64:G3} σ' {ssp64:G3}");
        output.WriteLine($"{name} float32: vector σ {a32:G3} σ' {sp32:G3}; scalar σ {s32:G3} σ' {ssp32:G3}");
        Assert.True(Math.Max(Math.Max(a64, sp64), Math.Max(s64, ssp64)) <= Tolerance64, $"{name} float64: {a64} {sp64} {s64} {ssp64}");
        Assert.True(Math.Max(Math.Max(a32, sp32), Math.Max(s32, ssp32)) <= Tolerance32, $"{name} float32: {a32} {sp32} {s32} {ssp32}");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Forward_SpecialValues(string name)
    {
        Special<double>(name);
        Special<float>(name);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Forward_SameValuesAtAnyAlignment_BitIdentical(string name)
    {
        foreach (int n in Lengths)
        {
            Aligned<float>(name, n);
            Aligned<double>(name, n);
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Forward_RepeatedCalls_BitIdentical(string name)
    {
        foreach (int n in Lengths)
        {
            Repeated<float>(name, n);
            Repeated<double>(name, n);
        }
    }

    /// <summary>The measured change against System.Numerics.Tensors (what the runs used before), for the record.</summary>
    [Theory]
    [MemberData(nameof(Names))]
    public void Forward_AgainstSystemNumericsTensors_Reported(string name)
    {
        foreach (var (label, worst) in new[] { ("float64", AgainstTensors<double>(name)), ("float32", AgainstTensors<float>(name)) })
        {
            output.WriteLine($"{name} {label} vs TensorPrimitives (relative, floor 1e-3): σ {worst.A:G3}, σ' {worst.SigmaPrime:G3}");
            Assert.True(worst.A < 1e-3 && worst.SigmaPrime < 1e-3, $"{name} {label}: {worst}");
        }
    }

    // z in [−50, 50] by 1e-3, tiny values down to 1e-30 of both signs around the series/e^x switch at |z| = ½, and
    // the shared specials.
    private static T[] Grid<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
    [
        .. Enumerable.Range(-50_000, 100_001).Select(i => T.CreateTruncating(i * 1e-3)),
        .. Enumerable.Range(-30, 30).SelectMany(p => new[] { Math.Pow(10, p), -Math.Pow(10, p), 1.7 * Math.Pow(10, p) }).Select(T.CreateTruncating),
        .. Enumerable.Range(-2000, 4001).Select(i => T.CreateTruncating(0.5 + i * 1e-7)),
        .. Enumerable.Range(-2000, 4001).Select(i => T.CreateTruncating(-0.5 + i * 1e-7)),
        .. ActivationOperatorTests.Inputs<T>(70),
    ];

    private static (T[] A, T[] SigmaPrime) Forward<T>(string name, T[] z, bool vector) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var activation = Activation.Parse(name);
        var a = new T[z.Length];
        var sp = new T[z.Length];
        if (vector) activation.Forward<T>(z, a, sp);
        else
            for (int i = 0; i < z.Length; i++) activation.Forward<T>(z.AsSpan(i, 1), a.AsSpan(i, 1), sp.AsSpan(i, 1));
        return (a, sp);
    }

    /// <summary>σ and σ' in float64, in forms without cancellation (the reference, not the code under test).</summary>
    private static (double A, double SigmaPrime) Reference(string name, double z)
    {
        if (name == "tanh")
        {
            double e = Math.Exp(-2 * Math.Abs(z));
            return (Math.Tanh(z), 4 * e / ((1 + e) * (1 + e)));
        }
        double ez = Math.Exp(-Math.Abs(z));
        return (z >= 0 ? 1 / (1 + ez) : ez / (1 + ez), ez / ((1 + ez) * (1 + ez)));
    }

    private static (double A, double SigmaPrime) WorstError<T>(string name, bool vector) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var z = Grid<T>();
        var (a, sp) = Forward(name, z, vector);
        double floor = typeof(T) == typeof(double) ? Floor64 : Floor32;
        double worstA = 0, worstSp = 0;
        for (int i = 0; i < z.Length; i++)
        {
            double x = double.CreateTruncating(z[i]);
            if (double.IsNaN(x)) continue;
            var (ea, esp) = Reference(name, x);
            if (typeof(T) == typeof(float)) (ea, esp) = ((float)ea, (float)esp); // what a correctly rounded float32 would give
            worstA = Math.Max(worstA, Math.Abs(double.CreateTruncating(a[i]) - ea) / Math.Max(Math.Abs(ea), floor));
            worstSp = Math.Max(worstSp, Math.Abs(double.CreateTruncating(sp[i]) - esp) / Math.Max(Math.Abs(esp), floor));
        }
        return (worstA, worstSp);
    }

    private static void Special<T>(string name) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] z = [T.NaN, T.NegativeZero, T.Zero, T.PositiveInfinity, T.NegativeInfinity];
        foreach (bool vector in new[] { true, false })
        {
            // Padded to a whole vector so the vector path sees them too.
            T[] input = vector ? [.. z, .. Enumerable.Repeat(T.One, 16)] : z;
            var (a, sp) = Forward(name, input, vector);
            string at = $"{name} {typeof(T).Name} vector={vector}";
            Assert.True(T.IsNaN(a[0]) && T.IsNaN(sp[0]), $"{at}: NaN → {a[0]}, {sp[0]}");
            if (name == "tanh")
            {
                Assert.True(T.IsZero(a[1]) && T.IsNegative(a[1]), $"{at}: tanh(−0) = {a[1]}");
                Assert.True(T.IsZero(a[2]) && T.IsPositive(a[2]), $"{at}: tanh(+0) = {a[2]}");
                Assert.Equal(T.One, sp[1]);
                Assert.Equal(T.One, sp[2]);
                Assert.Equal((T.One, T.Zero), (a[3], sp[3]));
                Assert.Equal((-T.One, T.Zero), (a[4], sp[4]));
            }
            else
            {
                T half = T.CreateTruncating(0.5), quarter = T.CreateTruncating(0.25);
                Assert.Equal((half, quarter), (a[1], sp[1]));
                Assert.Equal((half, quarter), (a[2], sp[2]));
                Assert.Equal((T.One, T.Zero), (a[3], sp[3]));
                Assert.Equal((T.Zero, T.Zero), (a[4], sp[4]));
            }
        }
    }

    private static void Aligned<T>(string name, int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var values = ActivationOperatorTests.Inputs<T>(n);
        var activation = Activation.Parse(name);
        T[]? firstA = null, firstSp = null;
        for (int offset = 0; offset < 8; offset++)
        {
            // Input and outputs at different offsets, so neither the load nor the store alignment is fixed.
            int outOffset = (offset * 3) % 8;
            var z = new T[n + 8];
            var a = new T[n + 8];
            var sp = new T[n + 8];
            values.CopyTo(z, offset);
            activation.Forward<T>(z.AsSpan(offset, n), a.AsSpan(outOffset, n), sp.AsSpan(outOffset, n));
            var (ra, rsp) = (a.AsSpan(outOffset, n).ToArray(), sp.AsSpan(outOffset, n).ToArray());
            if (firstA is null) (firstA, firstSp) = (ra, rsp);
            else AssertBits(firstA, firstSp!, ra, rsp, values, $"{name} {typeof(T).Name} n={n} offset={offset}/{outOffset}");
        }
    }

    private static void Repeated<T>(string name, int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var z = ActivationOperatorTests.Inputs<T>(n);
        var (a0, sp0) = Forward(name, z, vector: true);
        for (int call = 1; call < 4; call++)
        {
            var (a, sp) = Forward(name, z, vector: true);
            AssertBits(a0, sp0, a, sp, z, $"{name} {typeof(T).Name} n={n} call {call}");
        }
    }

    private static void AssertBits<T>(T[] expectedA, T[] expectedSp, T[] a, T[] sp, T[] z, string at) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < z.Length; i++)
        {
            Assert.True(Bits(expectedA[i]) == Bits(a[i]), $"{at} σ({z[i]}): {a[i]} vs {expectedA[i]}");
            Assert.True(Bits(expectedSp[i]) == Bits(sp[i]), $"{at} σ'({z[i]}): {sp[i]} vs {expectedSp[i]}");
        }
    }

    private static long Bits<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => BitConverter.DoubleToInt64Bits(double.CreateTruncating(x));

    private static (double A, double SigmaPrime) AgainstTensors<T>(string name) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var z = Grid<T>();
        var (a, sp) = Forward(name, z, vector: true);
        var oldA = new T[z.Length];
        var oldSp = new T[z.Length];
        if (name == "tanh") TensorPrimitives.Tanh<T>(z, oldA); else TensorPrimitives.Sigmoid<T>(z, oldA);
        TensorPrimitives.Multiply<T>(oldA, oldA, oldSp);
        if (name == "tanh") TensorPrimitives.Subtract(T.One, oldSp, oldSp); else TensorPrimitives.Subtract<T>(oldA, oldSp, oldSp);
        double worstA = 0, worstSp = 0;
        for (int i = 0; i < z.Length; i++)
        {
            if (T.IsNaN(z[i])) continue;
            double o = double.CreateTruncating(oldA[i]), os = double.CreateTruncating(oldSp[i]);
            worstA = Math.Max(worstA, Math.Abs(double.CreateTruncating(a[i]) - o) / Math.Max(Math.Abs(o), 1e-3));
            worstSp = Math.Max(worstSp, Math.Abs(double.CreateTruncating(sp[i]) - os) / Math.Max(Math.Abs(os), 1e-3));
        }
        return (worstA, worstSp);
    }
}
