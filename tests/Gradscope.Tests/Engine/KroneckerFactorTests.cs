using Gradscope.Numerics;
using Gradscope.Training;

namespace Gradscope.Tests.Engine;

/// <summary>The low-rank-plus-damping inverse of a K-FAC factor against the exact (Cholesky) one.</summary>
public sealed class KroneckerFactorTests
{
    [Fact]
    public void ApplyInverse_FullRank_MatchesExactInverse()
    {
        const int n = 24, m = 60;
        var exact = Factor(n, m, rank: 0, decayOf: _ => 1, seed: 1);
        var lowRank = Factor(n, m, rank: n, decayOf: _ => 1, seed: 1);
        var x = Rows(5, n, seed: 2);
        var expected = new double[x.Length];
        var actual = new double[x.Length];
        exact.ApplyInverse(x, 5, expected);
        lowRank.ApplyInverse(x, 5, actual);
        double scale = expected.Max(Math.Abs);
        for (int i = 0; i < x.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) < 1e-8 * scale, $"[{i}] {expected[i]} vs {actual[i]}");
    }

    [Fact]
    public void ApplyInverse_DecayingSpectrumTopEighth_CloseToExactAndFarBetterThanDampingAlone()
    {
        // Per-coordinate scales 0.6^j: the spectrum decays geometrically, so the top k = n/8 eigenpairs carry
        // nearly all of S and the dropped ones are below the damping, where treating them as 0 costs little.
        const int n = 64, m = 2000, k = 8;
        const double damping = 1e-3;
        var exact = Factor(n, m, rank: 0, decayOf: j => Math.Pow(0.6, j), seed: 3, damping);
        var lowRank = Factor(n, m, rank: k, decayOf: j => Math.Pow(0.6, j), seed: 3, damping);
        var x = Rows(10, n, seed: 4);
        var expected = new double[x.Length];
        var actual = new double[x.Length];
        exact.ApplyInverse(x, 10, expected);
        lowRank.ApplyInverse(x, 10, actual);
        double error = Distance(expected, actual), dampingOnly = Distance(expected, x.Select(v => v / damping).ToArray());
        double size = Math.Sqrt(expected.Sum(v => v * v));
        Assert.True(error < 0.1 * size, $"relative error {error / size:G3}");
        Assert.True(error < 0.1 * dampingOnly, $"low-rank error {error:G3} vs x/λ's {dampingOnly:G3}");
    }

    private static KroneckerFactor<double> Factor(int n, int m, int rank, Func<int, double> decayOf, ulong seed, double damping = 0.1)
    {
        var rng = new Rng(seed);
        var rows = new double[m * n];
        for (int r = 0; r < m; r++)
            for (int j = 0; j < n; j++) rows[r * n + j] = decayOf(j) * rng.NextNormal();
        // A random rotation, so the eigenvectors are not the coordinate axes.
        var q = Rows(n, n, seed + 100);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < i; j++)
            {
                double dot = 0;
                for (int t = 0; t < n; t++) dot += q[i * n + t] * q[j * n + t];
                for (int t = 0; t < n; t++) q[i * n + t] -= dot * q[j * n + t];
            }
            double norm = Math.Sqrt(Enumerable.Range(0, n).Sum(t => q[i * n + t] * q[i * n + t]));
            for (int t = 0; t < n; t++) q[i * n + t] /= norm;
        }
        var rotated = new double[m * n];
        Gemm.Multiply(false, false, m, n, n, 1.0, rows, n, q, n, 0.0, rotated, n);
        var factor = new KroneckerFactor<double>(n, rho: 0, maxPendingSteps: 1, rank);
        factor.Record(rotated, m, n, appendOne: false);
        factor.Fold();
        Assert.True(factor.Invert(damping));
        return factor;
    }

    private static double[] Rows(int rows, int n, ulong seed)
    {
        var rng = new Rng(seed);
        return Enumerable.Range(0, rows * n).Select(_ => rng.NextNormal()).ToArray();
    }

    private static double Distance(double[] x, double[] y) => Math.Sqrt(x.Zip(y, (a, b) => (a - b) * (a - b)).Sum());
}
