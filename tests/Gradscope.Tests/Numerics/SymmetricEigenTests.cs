using Gradscope.Numerics;

namespace Gradscope.Tests.Numerics;

/// <summary>Jacobi eigenpairs checked naively: A v = λ v, VᵀV = I, and the values of the values-only routine.</summary>
public sealed class SymmetricEigenTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(9)]
    [InlineData(40)]
    public void Decompose_RandomSymmetric_EigenpairsSatisfyAvEqualsLambdaV(int n)
    {
        var rng = new Rng(11 + (ulong)n);
        var a = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = rng.NextNormal();
        var vectors = new double[n * n];
        var values = SymmetricEigen.Decompose((double[])a.Clone(), n, vectors);

        double norm = Math.Sqrt(a.Sum(x => x * x));
        for (int i = 0; i < n; i++)
        {
            if (i > 0) Assert.True(values[i - 1] >= values[i], "values descend");
            for (int r = 0; r < n; r++)
            {
                double av = 0;
                for (int k = 0; k < n; k++) av += a[r * n + k] * vectors[i * n + k];
                Assert.True(Math.Abs(av - values[i] * vectors[i * n + r]) < 1e-10 * norm, $"(A v − λ v)[{r}] of pair {i}");
            }
            for (int j = 0; j < n; j++)
            {
                double dot = 0;
                for (int k = 0; k < n; k++) dot += vectors[i * n + k] * vectors[j * n + k];
                Assert.Equal(i == j ? 1 : 0, dot, 10);
            }
        }
        var reference = LinearAlgebra.SymmetricEigenvalues((double[])a.Clone(), n);
        for (int i = 0; i < n; i++) Assert.Equal(reference[i], values[i], 9);
    }

    [Fact]
    public void Decompose_RepeatedAndZeroEigenvalues_StillOrthonormal()
    {
        // diag(3, 3, 0, 0) rotated: degenerate pairs must still come back as an orthonormal basis.
        const int n = 4;
        double[] q = [0.5, 0.5, 0.5, 0.5, 0.5, -0.5, 0.5, -0.5, 0.5, 0.5, -0.5, -0.5, 0.5, -0.5, -0.5, 0.5];
        double[] d = [3, 3, 0, 0];
        var a = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                for (int k = 0; k < n; k++) a[i * n + j] += q[k * n + i] * d[k] * q[k * n + j];
        var vectors = new double[n * n];
        var values = SymmetricEigen.Decompose((double[])a.Clone(), n, vectors);
        Assert.Equal([3, 3, 0, 0], values.Select(v => Math.Round(v, 10) + 0.0));
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                Assert.Equal(i == j ? 1 : 0, Enumerable.Range(0, n).Sum(k => vectors[i * n + k] * vectors[j * n + k]), 10);
    }
}
