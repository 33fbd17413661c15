using System.Numerics;
using System.Runtime.Intrinsics;

namespace Gradscope.Numerics;

/// <summary>
/// General matrix multiply on row-major storage: C = α·op(A)·op(B) + β·C, with op(X) = X or Xᵀ.
/// When β is zero, C is overwritten (its old contents, even NaN, are ignored), as in BLAS.
/// Results do not depend on the thread count: the work is split by output tiles, and each element is
/// always summed in the same order.
/// </summary>
/// <remarks>
/// float and double run SIMD kernels (AVX-512 where accelerated, else 256-bit vectors); other number types take a
/// plain triple loop. Small products, and any product with at most 16 rows (a mini-batch MLP step), go to unpacked
/// kernels that read A and B in place; larger ones are packed into cache-sized panels (BLIS style). Both paths
/// split large products over the pool by output tile, and neither allocates once each thread's packing buffers
/// exist.
/// </remarks>
public static partial class Gemm
{
    public static void Multiply<T>(
        bool transposeA, bool transposeB, int m, int n, int k,
        T alpha, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb,
        T beta, Span<T> c, int ldc, ComputePool? pool = null, PackedOperand<T>? packedB = null)
        where T : unmanaged, INumber<T>
    {
        Validate(transposeA, transposeB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (m == 0 || n == 0) return;
        if (k == 0 || alpha == T.Zero)
        {
            Scale(m, n, beta, c, ldc);
            return;
        }
        bool simd = typeof(T) == typeof(float) || typeof(T) == typeof(double);
        if (simd && Vector512.IsHardwareAccelerated)
            Run<Simd512<T>, Vector512<T>, T>(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, pool, packedB);
        else if (simd && Vector256.IsHardwareAccelerated)
            Run<Simd256<T>, Vector256<T>, T>(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, pool, packedB);
        else
            MultiplyScalar(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    private static unsafe void Run<TV, TVec, T>(
        bool transposeA, bool transposeB, int m, int n, int k,
        T alpha, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb,
        T beta, Span<T> c, int ldc, ComputePool? pool, PackedOperand<T>? packedB)
        where TV : struct, ISimd<TVec, T>
        where TVec : struct
        where T : unmanaged, INumber<T>
    {
        fixed (T* pa = a)
        fixed (T* pb = b)
        fixed (T* pc = c)
        {
            var job = new GemmJob<T>
            {
                A = pa, B = pb, C = pc, Lda = lda, Ldb = ldb, Ldc = ldc, M = m, N = n, K = k,
                TransposeA = transposeA, TransposeB = transposeB, Alpha = alpha, Beta = beta,
            };
            if (UseDirectPath(in job)) RunDirect<TV, TVec, T>(ref job, pool);
            else
            {
                if (packedB is not null) UsePacked<TV, TVec, T>(ref job, packedB);
                RunPacked<TV, TVec, T>(ref job, pool);
            }
        }
    }

    private static void Validate(bool transposeA, bool transposeB, int m, int n, int k,
        int aLength, int lda, int bLength, int ldb, int cLength, int ldc)
    {
        if (m < 0) throw new ArgumentOutOfRangeException(nameof(m), m, $"Row count m must be non-negative, got {m}.");
        if (n < 0) throw new ArgumentOutOfRangeException(nameof(n), n, $"Column count n must be non-negative, got {n}.");
        if (k < 0) throw new ArgumentOutOfRangeException(nameof(k), k, $"Inner dimension k must be non-negative, got {k}.");
        CheckOperand("a", "lda", transposeA ? k : m, transposeA ? m : k, aLength, lda);
        CheckOperand("b", "ldb", transposeB ? n : k, transposeB ? k : n, bLength, ldb);
        CheckOperand("c", "ldc", m, n, cLength, ldc);
    }

    private static void CheckOperand(string name, string ldName, int rows, int columns, int length, int ld)
    {
        if (ld < Math.Max(1, columns))
            throw new ArgumentOutOfRangeException(ldName, ld, $"Leading dimension {ldName} must be at least {Math.Max(1, columns)}, got {ld}.");
        if (rows == 0 || columns == 0) return;
        long needed = (long)(rows - 1) * ld + columns;
        if (length < needed)
            throw new ArgumentException($"Span {name} holds {length} elements but a {rows}×{columns} matrix with leading dimension {ld} needs {needed}.", name);
    }

    private static void Scale<T>(int m, int n, T beta, Span<T> c, int ldc)
        where T : unmanaged, INumber<T>
    {
        for (int i = 0; i < m; i++)
        {
            Span<T> row = c.Slice(i * ldc, n);
            if (beta == T.Zero) row.Clear();
            else if (beta != T.One) for (int j = 0; j < n; j++) row[j] *= beta;
        }
    }

    /// <summary>The reference loop, for number types without SIMD kernels: element by element, k ascending.</summary>
    private static void MultiplyScalar<T>(
        bool transposeA, bool transposeB, int m, int n, int k,
        T alpha, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb,
        T beta, Span<T> c, int ldc)
        where T : unmanaged, INumber<T>
    {
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                T sum = T.Zero;
                for (int p = 0; p < k; p++)
                    sum += (transposeA ? a[p * lda + i] : a[i * lda + p]) * (transposeB ? b[j * ldb + p] : b[p * ldb + j]);
                ref T cij = ref c[i * ldc + j];
                cij = beta == T.Zero ? alpha * sum : alpha * sum + beta * cij;
            }
        }
    }
}
