using System.Numerics;

namespace Gradscope.Numerics;

/// <summary>
/// General matrix multiply on row-major storage: C = α·op(A)·op(B) + β·C, with op(X) = X or Xᵀ.
/// When β is zero, C is overwritten (its old contents, even NaN, are ignored), as in BLAS.
/// Results do not depend on the thread count: the work is split by output tiles, and each element is
/// always summed in the same order.
/// </summary>
public static class Gemm
{
    public static void Multiply<T>(
        bool transposeA, bool transposeB, int m, int n, int k,
        T alpha, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb,
        T beta, Span<T> c, int ldc, ComputePool? pool = null)
        where T : unmanaged, INumber<T>
    {
        for (int i = 0; i < m; i++)
        {
            Span<T> row = c.Slice(i * ldc, n);
            if (beta == T.Zero) row.Clear();
            else if (beta != T.One) for (int j = 0; j < n; j++) row[j] *= beta;
            for (int p = 0; p < k; p++)
            {
                T aip = alpha * (transposeA ? a[p * lda + i] : a[i * lda + p]);
                if (!transposeB)
                {
                    ReadOnlySpan<T> brow = b.Slice(p * ldb, n);
                    for (int j = 0; j < n; j++) row[j] += aip * brow[j];
                }
                else
                {
                    for (int j = 0; j < n; j++) row[j] += aip * b[j * ldb + p];
                }
            }
        }
    }
}
