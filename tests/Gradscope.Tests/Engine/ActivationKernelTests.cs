using Gradscope.Model.Activations;

namespace Gradscope.Tests.Engine;

/// <summary>The fused vector path of an activation against its definition, lane by lane, including the tail and special values.</summary>
public sealed class ActivationKernelTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    [InlineData(37)]
    public void ReluForward_AnyLength_BitIdenticalToDefinition(int length)
    {
        Check<float>(length);
        Check<double>(length);
    }

    private static void Check<T>(int length) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var rng = new Gradscope.Numerics.Rng(5);
        var z = new T[length];
        for (int i = 0; i < length; i++) z[i] = T.CreateTruncating(rng.Normal(0, 1));
        T[] special = [T.NaN, T.NegativeZero, T.Zero, T.PositiveInfinity, T.NegativeInfinity, T.Epsilon, -T.Epsilon];
        for (int i = 0; i < Math.Min(length, special.Length); i++) z[(i * 5) % length] = special[i];
        var a = new T[length];
        var sp = new T[length];
        Relu.Instance.Forward<T>(z, a, sp);
        for (int i = 0; i < length; i++)
        {
            T expectedA = T.IsNaN(z[i]) ? T.NaN : z[i] > T.Zero ? z[i] : T.Zero;
            Assert.Equal(BitConverter.DoubleToInt64Bits(double.CreateTruncating(expectedA)), BitConverter.DoubleToInt64Bits(double.CreateTruncating(a[i])));
            Assert.Equal(z[i] > T.Zero ? T.One : T.Zero, sp[i]);
        }
    }
}
