using System.Numerics;
using Gradscope.Numerics;

namespace Gradscope.Tests.Numerics;

public sealed class GemmTests
{
    // Odd sizes straddle every register and cache-block edge; products above 2^19 multiply-adds take the packed
    // path, k > 512 spans several KC slices, and TT always packs.
    private static readonly (int M, int N, int K)[] Shapes =
    [
        (1, 1, 1), (1, 7, 3), (5, 1, 9), (3, 4, 1), (2, 33, 17), (13, 31, 29), (17, 16, 64), (12, 32, 70),
        (25, 47, 33), (70, 65, 69), (10, 30, 784), (30, 784, 10), (97, 131, 67), (37, 45, 700), (201, 199, 203), (11, 257, 301),
        (13, 300, 257),
    ];

    public static TheoryData<bool, bool> Transposes => new() { { false, false }, { false, true }, { true, false }, { true, true } };

    [Theory]
    [MemberData(nameof(Transposes))]
    public void Multiply_FloatRandomShapes_MatchesNaiveDouble(bool transposeA, bool transposeB)
    {
        var random = new Random(1234);
        foreach (var (m, n, k) in Shapes)
            CheckAgainstNaive<float>(random, transposeA, transposeB, m, n, k, 1.5f, 0f, padding: 0, pool: null);
    }

    [Theory]
    [MemberData(nameof(Transposes))]
    public void Multiply_DoubleRandomShapes_MatchesNaiveDouble(bool transposeA, bool transposeB)
    {
        var random = new Random(4321);
        foreach (var (m, n, k) in Shapes)
            CheckAgainstNaive<double>(random, transposeA, transposeB, m, n, k, -0.75, 0.0, padding: 0, pool: null);
    }

    [Theory]
    [MemberData(nameof(Transposes))]
    public void Multiply_AlphaBetaAndWideLeadingDimensions_MatchesNaiveDouble(bool transposeA, bool transposeB)
    {
        var random = new Random(99);
        using var pool = new ComputePool(2);
        foreach (var (alpha, beta) in new[] { (1.0, 1.0), (0.1, -0.5), (-2.0, 1.0), (1.0, 0.0) })
            foreach (var (m, n, k) in new[] { (7, 9, 11), (33, 70, 41), (90, 110, 75), (3, 5, 600) })
            {
                CheckAgainstNaive<float>(random, transposeA, transposeB, m, n, k, (float)alpha, (float)beta, padding: 5, pool);
                CheckAgainstNaive<double>(random, transposeA, transposeB, m, n, k, alpha, beta, padding: 3, pool);
            }
    }

    [Fact]
    public void Multiply_IntegerElements_MatchesNaiveExactly()
    {
        var random = new Random(7);
        foreach (var (m, n, k) in new[] { (3, 4, 5), (17, 9, 33) })
            CheckAgainstNaive<int>(random, true, false, m, n, k, 2, 3, padding: 1, pool: null);
    }

    [Fact]
    public void Multiply_BetaZeroOverNaN_IgnoresOldC()
    {
        var random = new Random(5);
        foreach (var (m, n, k) in new[] { (10, 30, 30), (201, 199, 203) })
        {
            float[] a = Fill<float>(random, m * k), b = Fill<float>(random, k * n);
            float[] c = Enumerable.Repeat(float.NaN, m * n).ToArray();
            Gemm.Multiply(false, false, m, n, k, 1f, a, k, b, n, 0f, c, n);
            Assert.All(c, value => Assert.True(float.IsFinite(value)));
        }
    }

    [Theory]
    [MemberData(nameof(Transposes))]
    public void Multiply_PoolOfOneTwoThree_BitIdentical(bool transposeA, bool transposeB)
    {
        var random = new Random(2024);
        using var two = new ComputePool(2);
        using var three = new ComputePool(3);
        foreach (var (m, n, k) in new[] { (150, 170, 130), (301, 40, 290), (64, 700, 300), (500, 45, 97), (10, 1003, 300), (16, 517, 400), (16, 1000, 200), (40, 300, 1100) })
        {
            float[] a = Fill<float>(random, m * k), b = Fill<float>(random, k * n), c0 = Fill<float>(random, m * n);
            float[] single = RunWith(null), withTwo = RunWith(two), withThree = RunWith(three);
            Assert.Equal(single, withTwo);
            Assert.Equal(single, withThree);

            float[] RunWith(ComputePool? pool)
            {
                float[] c = (float[])c0.Clone();
                Gemm.Multiply(transposeA, transposeB, m, n, k, 0.5f, a, transposeA ? m : k, b, transposeB ? k : n, 0.25f, c, n, pool);
                return c;
            }
        }
    }

    [Theory]
    [MemberData(nameof(Transposes))]
    public void Multiply_PackedOperandReused_BitIdenticalToPackingEachTime(bool transposeA, bool transposeB)
    {
        // Unpacked shapes (m ≤ 16, small work), one and several KC slices, a ragged last panel, one and several tiles.
        var random = new Random(77);
        using var two = new ComputePool(2);
        foreach (var (m, n, k) in new[] { (8, 512, 128), (64, 512, 128), (64, 128, 512), (37, 45, 700), (150, 170, 130), (40, 300, 1100), (13, 31, 29) })
            foreach (var pool in new[] { null, two })
            {
                float[] b = Fill<float>(random, k * n);
                var packed = new PackedOperand<float>();
                for (int product = 0; product < 3; product++)
                {
                    if (product == 2)
                    {
                        // B changes: invalidated, the next product packs it again.
                        b = Fill<float>(random, k * n);
                        packed.Invalidate();
                    }
                    float[] a = Fill<float>(random, m * k), c0 = Fill<float>(random, m * n);
                    float[] plain = (float[])c0.Clone(), reused = (float[])c0.Clone();
                    Gemm.Multiply(transposeA, transposeB, m, n, k, 0.5f, a, transposeA ? m : k, b, transposeB ? k : n, 0.25f, plain, n, pool);
                    Gemm.Multiply(transposeA, transposeB, m, n, k, 0.5f, a, transposeA ? m : k, b, transposeB ? k : n, 0.25f, reused, n, pool, packed);
                    Assert.Equal(plain, reused);
                }
            }
    }

    [Fact]
    public void Multiply_SteadyState_AllocatesNothing()
    {
        var random = new Random(3);
        using var pool = new ComputePool(2);
        var shapes = new[] { (false, true, 10, 30, 784), (true, false, 30, 784, 10), (false, false, 10, 30, 30), (false, true, 100, 200, 300), (true, true, 40, 50, 60), (false, true, 10, 1000, 300), (false, true, 16, 1000, 100) };
        var operands = shapes.Select(s => (Fill<float>(random, s.Item3 * s.Item5), Fill<float>(random, s.Item5 * s.Item4), new float[s.Item3 * s.Item4])).ToArray();
        long quietest = long.MaxValue;
        for (int round = 0; round < 5; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < shapes.Length; i++)
            {
                var (ta, tb, m, n, k) = shapes[i];
                var (a, b, c) = operands[i];
                for (int r = 0; r < 5; r++)
                    Gemm.Multiply(ta, tb, m, n, k, 1f, a, ta ? m : k, b, tb ? k : n, 0f, c, n, pool);
            }
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            // Round 0 may allocate this thread's packing buffers once; later rounds must not allocate at all (the
            // quietest is checked, as the runtime may allocate once while tiering up a method).
            if (round > 0) quietest = Math.Min(quietest, allocated);
        }
        Assert.Equal(0, quietest);
    }

    [Fact]
    public void Multiply_SpanTooShort_ThrowsNamingOperand()
    {
        var ex = Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 3, 3, 3, 1f, new float[8], 3, new float[9], 3, 0f, new float[9], 3));
        Assert.Equal("a", ex.ParamName);
    }

    [Fact]
    public void Multiply_LeadingDimensionTooSmall_Throws()
        => Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(false, false, 3, 3, 3, 1f, new float[9], 2, new float[9], 3, 0f, new float[9], 3));

    [Fact]
    public void ComputePool_ZeroThreads_Throws()
        => Assert.Throws<ArgumentOutOfRangeException>(() => new ComputePool(0));

    private static void CheckAgainstNaive<T>(Random random, bool transposeA, bool transposeB, int m, int n, int k,
        T alpha, T beta, int padding, ComputePool? pool)
        where T : unmanaged, INumber<T>
    {
        int lda = (transposeA ? m : k) + padding, ldb = (transposeB ? k : n) + padding, ldc = n + padding;
        T[] a = Fill<T>(random, (transposeA ? k : m) * lda), b = Fill<T>(random, (transposeB ? n : k) * ldb);
        T[] c = Fill<T>(random, m * ldc);
        if (beta == T.Zero) Array.Fill(c, typeof(T) == typeof(int) ? T.One : T.CreateTruncating(double.NaN));
        T[] original = (T[])c.Clone();
        Gemm.Multiply(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, pool);

        double eps = typeof(T) == typeof(float) ? 6e-8 : typeof(T) == typeof(double) ? 1.1e-16 : 0;
        double[] ad = Array.ConvertAll(a, double.CreateTruncating), bd = Array.ConvertAll(b, double.CreateTruncating);
        // op(A)[i, p] = ad[i * aRow + p * aStep], op(B)[p, j] = bd[p * bStep + j * bColumn].
        int aRow = transposeA ? 1 : lda, aStep = transposeA ? lda : 1, bStep = transposeB ? 1 : ldb, bColumn = transposeB ? ldb : 1;
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0, magnitude = 0;
                for (int p = 0; p < k; p++)
                {
                    double product = ad[i * aRow + p * aStep] * bd[p * bStep + j * bColumn];
                    sum += product;
                    magnitude += Math.Abs(product);
                }
                double al = double.CreateTruncating(alpha), be = double.CreateTruncating(beta), old = double.CreateTruncating(original[i * ldc + j]);
                double expected = be == 0 ? al * sum : al * sum + be * old;
                double tolerance = 4 * (k + 2) * eps * (Math.Abs(al) * magnitude + (be == 0 ? 0 : Math.Abs(be * old)));
                double actual = double.CreateTruncating(c[i * ldc + j]);
                Assert.True(Math.Abs(actual - expected) <= tolerance,
                    $"{(transposeA ? 'T' : 'N')}{(transposeB ? 'T' : 'N')} {m}×{n}×{k} C[{i},{j}] = {actual}, expected {expected} ± {tolerance}");
            }
            // Padding past column n belongs to the caller and must be untouched.
            for (int j = n; j < ldc && i * ldc + j < c.Length; j++)
                Assert.Equal(original[i * ldc + j], c[i * ldc + j]);
        }
    }

    private static T[] Fill<T>(Random random, int length)
        where T : unmanaged, INumber<T>
    {
        var values = new T[length];
        bool integer = typeof(T) == typeof(int);
        for (int i = 0; i < length; i++)
            values[i] = integer ? T.CreateTruncating(random.Next(-9, 10)) : T.CreateTruncating(random.NextDouble() * 2 - 1);
        return values;
    }
}
