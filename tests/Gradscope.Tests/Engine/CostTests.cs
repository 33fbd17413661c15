using Gradscope.Model;
using Gradscope.Numerics;

namespace Gradscope.Tests.Engine;

public sealed class CostTests
{
    [Theory]
    [InlineData("quadratic")]
    [InlineData("cross-entropy")]
    [InlineData("log-likelihood")]
    public void BatchValue_Vectorised_MatchesPerRowFloat64Sum(string name)
    {
        var cost = Cost.Parse(name);
        var rng = new Rng(3);
        const int rows = 7, width = 5;
        var a = new double[rows * width];
        var y = new double[rows * width];
        for (int r = 0; r < rows; r++)
        {
            double total = 0;
            for (int j = 0; j < width; j++) total += a[r * width + j] = rng.Uniform(0.01, 0.99);
            if (name == "log-likelihood") for (int j = 0; j < width; j++) a[r * width + j] /= total;
            y[r * width + rng.NextInt(width)] = 1;
        }
        double expected = Enumerable.Range(0, rows).Average(r => cost.Value<double>(a.AsSpan(r * width, width), y.AsSpan(r * width, width)));
        Assert.Equal(expected, cost.BatchValue<double>(a, y, width, new double[2 * a.Length]), 1e-12);
    }

    [Fact]
    public void BatchValue_CrossEntropySaturatedOutput_FallsBackToNielsensZeroTimesLogZero()
    {
        var cost = Cost.Parse("cross-entropy");
        double[] a = [0.0, 1.0, 0.5];
        double[] y = [0.0, 1.0, 1.0];
        Assert.Equal(-Math.Log(0.5) / 1, cost.BatchValue<double>(a, y, 3, new double[6]), 1e-15);
    }
}

public sealed class ReductionTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(64)]
    [InlineData(23_520)]
    [InlineData(23_523)]
    public void Norm_AnyLength_MatchesNaiveFloat64(int length)
    {
        var rng = new Gradscope.Numerics.Rng(5);
        var x = new float[length];
        for (int i = 0; i < length; i++) x[i] = (float)rng.Normal(0, 1);
        double expected = Math.Sqrt(x.Sum(v => (double)v * v));
        Assert.Equal(expected, Gradscope.Numerics.Reductions.Norm<float>(x), Math.Max(1e-12, expected * 1e-5));
        Assert.Equal(expected, Gradscope.Numerics.Reductions.Norm<double>(x.Select(v => (double)v).ToArray()), 1e-9);
    }
}

public sealed class SummaryTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(300)]
    [InlineData(1001)]
    public void Summary_AnyLength_MatchesNaive(int length)
    {
        var rng = new Gradscope.Numerics.Rng(9);
        var x = new float[length];
        for (int i = 0; i < length; i++) x[i] = (float)rng.Uniform(-1, 1);
        var (sum, min, max, below) = Gradscope.Numerics.Reductions.Summary<float>(x, 0.25f);
        Assert.Equal(x.Sum(v => (double)v), sum, 1e-4);
        Assert.Equal(x.Min(), min);
        Assert.Equal(x.Max(), max);
        Assert.Equal(x.Count(v => v < 0.25f), below);
    }
}

public sealed class ColumnStatisticsTests
{
    [Theory]
    [InlineData(10, 30)]
    [InlineData(10, 16)]
    [InlineData(3, 7)]
    [InlineData(5, 33)]
    [InlineData(1, 100)]
    public void ColumnStatistics_AnyShape_MatchesNaive(int rows, int width)
    {
        var rng = new Gradscope.Numerics.Rng(21);
        var m = new float[rows * width];
        for (int i = 0; i < m.Length; i++) m[i] = rng.NextDouble() < 0.7 ? 0 : (float)rng.Normal(0, 1);
        // Some columns dead for sure, among them the first and the last.
        foreach (int dead in new[] { 0, width - 1, width / 2 })
            for (int r = 0; r < rows; r++) m[r * width + dead] = 0;
        int expected = Enumerable.Range(0, width).Count(j => Enumerable.Range(0, rows).All(r => m[r * width + j] == 0));
        var (sum, squares, zero) = Gradscope.Numerics.Reductions.ColumnStatistics<float>(m, rows, width);
        Assert.Equal(expected, zero);
        Assert.Equal(m.Sum(v => (double)v), sum, 1e-4);
        Assert.Equal(m.Sum(v => (double)v * v), squares, 1e-4);
        Assert.Equal(expected, Gradscope.Numerics.Reductions.ColumnStatistics<double>(m.Select(v => (double)v).ToArray(), rows, width).ZeroColumns);
    }
}

public sealed class LayerNormsTests
{
    [Theory]
    [InlineData(7)]
    [InlineData(16)]
    [InlineData(300)]
    [InlineData(333)]
    public void LayerNorms_AnyLength_MatchesSeparateNaivePasses(int length)
    {
        var rng = new Gradscope.Numerics.Rng(23);
        float[] Random() => Enumerable.Range(0, length).Select(_ => (float)rng.Normal(0, 1)).ToArray();
        float[] delta = Random(), back = Random(), z = Random();
        var (dd, bb, finite) = Gradscope.Numerics.Reductions.LayerNorms<float>(delta, back, z);
        Assert.Equal(delta.Sum(v => (double)v * v), dd, 1e-3);
        Assert.Equal(back.Sum(v => (double)v * v), bb, 1e-3);
        Assert.True(finite);
        z[length - 1] = float.PositiveInfinity;
        Assert.False(Gradscope.Numerics.Reductions.LayerNorms<float>(delta, back, z).ZFinite);
        z[length - 1] = 1e30f; // large but finite: no overflow counts as non-finite
        z[0] = float.NaN;
        Assert.False(Gradscope.Numerics.Reductions.LayerNorms<float>(delta, back, z).ZFinite);
        z[0] = -1e30f;
        Assert.True(Gradscope.Numerics.Reductions.LayerNorms<float>(delta, back, z).ZFinite);
    }
}

public sealed class AllFiniteTests
{
    [Fact]
    public void AllFinite_OneBadValueAnywhere_Found()
    {
        // Every length up to a few vectors, every position: the remainders between whole vectors are where values hide.
        for (int n = 1; n <= 70; n++)
            for (int at = 0; at < n; at++)
            {
                var f = new float[n];
                var d = new double[n];
                f[at] = float.NaN;
                d[at] = double.PositiveInfinity;
                Assert.False(Gradscope.Numerics.Reductions.AllFinite<float>(f), $"float n={n} at={at}");
                Assert.False(Gradscope.Numerics.Reductions.AllFinite<double>(d), $"double n={n} at={at}");
            }
        Assert.True(Gradscope.Numerics.Reductions.AllFinite<float>(Enumerable.Repeat(3e38f, 50).ToArray()));
    }
}

public sealed class NumbersTests
{
    [Theory]
    [InlineData(1234.5, "1230")]
    [InlineData(999.5, "1000")]
    [InlineData(0.0123456, "0.0123")]
    [InlineData(0.5, "0.5")]
    [InlineData(12.345, "12.3")]
    [InlineData(2.675, "2.67")]
    [InlineData(9999.5, "1e+4")]
    [InlineData(3.1e-5, "3.1e-5")]
    [InlineData(1.2e6, "1.2e+6")]
    [InlineData(double.NaN, "–")]
    [InlineData(0.0, "0")]
    public void Short_ThreeSignificantDigits_ScientificOnlyOutsideTheRange(double value, string expected) =>
        Assert.Equal(expected, Numbers.Short(value));
}

public sealed class MultiplyMeasuredTests
{
    [Theory]
    [InlineData(7)]
    [InlineData(16)]
    [InlineData(300)]
    [InlineData(333)]
    public void MultiplyMeasured_AnyLength_SameProductsAsTensorPrimitivesAndNaiveSums(int length)
    {
        var rng = new Gradscope.Numerics.Rng(24);
        float[] back = Enumerable.Range(0, length).Select(_ => (float)rng.Normal(0, 1)).ToArray();
        float[] sp = Enumerable.Range(0, length).Select(_ => (float)rng.Uniform(0, 0.25)).ToArray();
        var expected = new float[length];
        System.Numerics.Tensors.TensorPrimitives.Multiply(back, sp, expected);
        var delta = new float[length];
        var (bb, dd) = Gradscope.Numerics.Reductions.MultiplyMeasured<float>(back, sp, delta);
        Assert.Equal(expected, delta);
        Assert.Equal(back.Sum(v => (double)v * v), bb, 1e-3);
        Assert.Equal(expected.Sum(v => (double)v * v), dd, 1e-4);

        // In place, as TensorPrimitives allows: the products are still taken once each.
        var inPlace = back.ToArray();
        Gradscope.Numerics.Reductions.MultiplyMeasured<float>(inPlace, sp, inPlace);
        Assert.Equal(expected, inPlace);
    }
}
