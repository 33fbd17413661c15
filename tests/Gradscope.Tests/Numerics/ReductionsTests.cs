using Gradscope.Numerics;

namespace Gradscope.Tests.Numerics;

/// <summary>
/// The fused one-pass reductions against naive twins, at lengths around every vector width (8 and 16 floats, 4 and 8
/// doubles), where the remainder lanes are read twice and must be counted once.
/// </summary>
public sealed class ReductionsTests
{
    private static readonly int[] Lengths = [1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 300];

    [Fact]
    public void Summary_NaNAnywhere_MinAndMaxAreNaN()
    {
        // The hardware's min/max may drop a NaN lane; the summary must not, in float or double.
        foreach (int n in Lengths)
            for (int at = 0; at < n; at++)
            {
                var f = Enumerable.Range(0, n).Select(i => (float)i).ToArray();
                var d = f.Select(v => (double)v).ToArray();
                f[at] = float.NaN;
                d[at] = double.NaN;
                var sf = Reductions.Summary<float>(f, 1f);
                var sd = Reductions.Summary<double>(d, 1.0);
                Assert.True(double.IsNaN(sf.Min) && double.IsNaN(sf.Max) && double.IsNaN(sf.Sum), $"float n={n} at={at}");
                Assert.True(double.IsNaN(sd.Min) && double.IsNaN(sd.Max) && double.IsNaN(sd.Sum), $"double n={n} at={at}");
            }
    }

    [Fact]
    public void Summary_InfinitiesOfBothSigns_AreTheMinAndMaxWithoutNaN()
    {
        // +∞ and −∞ sum to NaN, yet no value is NaN: the extremes are the infinities.
        foreach (int n in Lengths.Where(n => n >= 2))
        {
            var x = Enumerable.Range(0, n).Select(i => (double)i).ToArray();
            x[0] = double.PositiveInfinity;
            x[n - 1] = double.NegativeInfinity;
            var (sum, min, max, below) = Reductions.Summary<double>(x, 0.5);
            Assert.True(double.IsNaN(sum));
            Assert.Equal(double.NegativeInfinity, min);
            Assert.Equal(double.PositiveInfinity, max);
            Assert.Equal(x.Count(v => v < 0.5), below);
        }
    }

    [Fact]
    public void Summary_EveryLength_MatchesNaiveInDouble()
    {
        var rng = new Rng(4);
        foreach (int n in Lengths)
        {
            var x = Enumerable.Range(0, n).Select(_ => rng.Uniform(-1, 1)).ToArray();
            var (sum, min, max, below) = Reductions.Summary<double>(x, 0.1);
            Assert.Equal(x.Sum(), sum, 1e-12);
            Assert.Equal(x.Min(), min);
            Assert.Equal(x.Max(), max);
            Assert.Equal(x.Count(v => v < 0.1), below);
        }
    }

    [Fact]
    public void AllFinite_ReadsTheExponentBits_ExactlyAtEveryBoundary()
    {
        // The test is on |x|'s bits: the largest finite values of either sign pass; −∞, +∞ and every NaN (quiet,
        // signalling, negative) fail. The fill is the largest finite value, so a sum of the values would overflow.
        float[] goodF = [float.MaxValue, -float.MaxValue, float.Epsilon, -0f, 1e-45f];
        float[] badF = [float.PositiveInfinity, float.NegativeInfinity, float.NaN, -float.NaN,
            BitConverter.Int32BitsToSingle(0x7F80_0001), BitConverter.Int32BitsToSingle(unchecked((int)0xFFC0_0001))];
        double[] goodD = [double.MaxValue, -double.MaxValue, double.Epsilon, -0.0];
        double[] badD = [double.PositiveInfinity, double.NegativeInfinity, double.NaN, -double.NaN,
            BitConverter.Int64BitsToDouble(0x7FF0_0000_0000_0001)];
        foreach (int n in Lengths)
            for (int at = 0; at < n; at += Math.Max(1, n / 7))
            {
                Check(n, at, float.MaxValue, goodF, badF);
                Check(n, at, -double.MaxValue, goodD, badD);
            }
        Assert.True(Reductions.AllFinite<float>([]));
    }

    // n values of fill with each good value at position at, then each bad one there in turn.
    private static void Check<T>(int n, int at, T fill, T[] good, T[] bad) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var x = Enumerable.Repeat(fill, n).ToArray();
        foreach (T g in good)
        {
            x[at] = g;
            Assert.True(Reductions.AllFinite<T>(x), $"{typeof(T).Name} n={n} at={at} {g}");
            foreach (T b in bad)
            {
                x[at] = b;
                Assert.False(Reductions.AllFinite<T>(x), $"{typeof(T).Name} n={n} at={at} {b}");
            }
        }
    }

    [Theory]
    [InlineData(10, 30)]
    [InlineData(1, 7)]
    [InlineData(7, 8)]
    [InlineData(3, 17)]
    [InlineData(64, 100)]
    public void LastNonZeroRows_MatchesNaiveScan(int rows, int width)
    {
        var rng = new Rng(8);
        var m = new float[rows * width];
        // Mostly zeros, so last firings fall anywhere, and some columns never fire.
        for (int i = 0; i < m.Length; i++) m[i] = rng.NextDouble() < 0.8 ? 0 : (float)rng.Normal(0, 1);
        for (int r = 0; r < rows; r++) m[r * width + width / 2] = 0;
        m[(rows - 1) * width] = -0f; // negative zero is zero
        int[] Naive(Func<int, bool> zero) => [.. Enumerable.Range(0, width).Select(j =>
            Enumerable.Range(0, rows).Where(r => !zero(r * width + j)).DefaultIfEmpty(-1).Max())];
        var last = new int[width];
        Reductions.LastNonZeroRows<float>(m, rows, width, last);
        Assert.Equal(Naive(i => m[i] == 0), last);
        Assert.Equal(-1, last[width / 2]);
        var d = m.Select(v => (double)v).ToArray();
        var lastD = new int[width];
        Reductions.LastNonZeroRows<double>(d, rows, width, lastD);
        Assert.Equal(last, lastD);
    }
}
