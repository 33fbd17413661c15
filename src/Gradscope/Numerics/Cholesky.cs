using System.Numerics.Tensors;

namespace Gradscope.Numerics;

/// <summary>
/// Inverse of a symmetric positive-definite matrix through its Cholesky factor A = L Lᵀ, in float64:
/// A⁻¹ = L⁻ᵀ L⁻¹. Every inner loop is a dot product of two contiguous row segments, so it runs at SIMD speed
/// with no blocking; the cost is n³/2 multiply-adds (n³/6 each for L, L⁻¹ and the product).
/// </summary>
public static class Cholesky
{
    /// <summary>
    /// Writes A⁻¹ (row-major n×n) to <paramref name="inverse"/>; <paramref name="work"/> needs n² values.
    /// Returns false, leaving <paramref name="inverse"/> undefined, when A is not positive definite.
    /// </summary>
    public static bool Invert(ReadOnlySpan<double> a, int n, Span<double> inverse, Span<double> work)
    {
        if (a.Length < n * n || inverse.Length < n * n || work.Length < n * n)
            throw new ArgumentException($"Buffers too small for a {n}×{n} matrix.");
        Span<double> l = work[..(n * n)];
        // Crout, row by row: L_ij = (A_ij − Σ_{k<j} L_ik L_jk) / L_jj.
        for (int i = 0; i < n; i++)
        {
            var li = l.Slice(i * n, n);
            for (int j = 0; j <= i; j++)
            {
                double s = a[i * n + j] - TensorPrimitives.Dot(li[..j], l.Slice(j * n, j));
                if (j < i)
                {
                    li[j] = s / l[j * n + j];
                }
                else
                {
                    if (!(s > 0) || !double.IsFinite(s)) return false;
                    li[i] = Math.Sqrt(s);
                }
            }
        }

        // U = L⁻ᵀ: row j of U is column j of L⁻¹, found by forward substitution on L x = e_j (x_i = 0 for i < j).
        Span<double> u = inverse[..(n * n)];
        for (int j = 0; j < n; j++)
        {
            var x = u.Slice(j * n, n);
            x[..j].Clear();
            x[j] = 1 / l[j * n + j];
            for (int i = j + 1; i < n; i++)
                x[i] = -TensorPrimitives.Dot(l.Slice(i * n + j, i - j), x.Slice(j, i - j)) / l[i * n + i];
        }

        // A⁻¹_ab = Σ_{k ≥ max(a,b)} U_ak U_bk; rows of U are copied into work (L is no longer needed) so the
        // result can overwrite U in place, upper triangle first, mirrored after.
        u.CopyTo(l);
        for (int p = 0; p < n; p++)
            for (int q = p; q < n; q++)
                inverse[p * n + q] = TensorPrimitives.Dot(l.Slice(p * n + q, n - q), l.Slice(q * n + q, n - q));
        for (int p = 0; p < n; p++)
            for (int q = 0; q < p; q++) inverse[p * n + q] = inverse[q * n + p];
        return true;
    }
}
