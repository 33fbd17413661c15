using Gradscope.Numerics;

namespace Gradscope.Tests.Numerics;

public sealed class CholeskyTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(96)]
    [InlineData(97)]
    [InlineData(301)]
    public void Invert_RandomSpd_TimesItselfIsIdentity(int n)
    {
        // A = XᵀX/m + 0.1 I, with m < n so XᵀX alone is singular (as a K-FAC factor from few examples is).
        var rng = new Rng((ulong)n);
        int m = Math.Max(1, n / 3);
        var x = new double[m * n];
        for (int i = 0; i < x.Length; i++) x[i] = rng.NextNormal();
        var a = new double[n * n];
        for (int p = 0; p < n; p++)
            for (int q = 0; q < n; q++)
            {
                double s = 0;
                for (int k = 0; k < m; k++) s += x[k * n + p] * x[k * n + q];
                a[p * n + q] = s / m + (p == q ? 0.1 : 0);
            }
        var inverse = new double[n * n];
        Assert.True(Cholesky.Invert(a, n, inverse, new double[Cholesky.WorkSize(n)]));
        double worst = 0;
        for (int p = 0; p < n; p++)
            for (int q = 0; q < n; q++)
            {
                double s = 0;
                for (int k = 0; k < n; k++) s += a[p * n + k] * inverse[k * n + q];
                worst = Math.Max(worst, Math.Abs(s - (p == q ? 1 : 0)));
                Assert.Equal(inverse[p * n + q], inverse[q * n + p], 12);
            }
        Assert.True(worst < 1e-9, $"‖A A⁻¹ − I‖_max = {worst:E2}");
    }

    [Fact]
    public void Invert_IndefiniteMatrix_ReturnsFalse()
    {
        double[] a = [1, 2, 2, 1];
        Assert.False(Cholesky.Invert(a, 2, new double[4], new double[Cholesky.WorkSize(2)]));
        var big = new double[200 * 200];
        for (int i = 0; i < 200; i++) big[i * 200 + i] = i == 150 ? -1 : 1;
        Assert.False(Cholesky.Invert(big, 200, new double[big.Length], new double[Cholesky.WorkSize(200)]));
    }
}
