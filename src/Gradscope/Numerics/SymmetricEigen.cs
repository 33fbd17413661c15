using System.Runtime.CompilerServices;

namespace Gradscope.Numerics;

/// <summary>
/// Eigenpairs of a small symmetric matrix in float64 by cyclic Jacobi rotations, A = V Λ Vᵀ. Meant for the k×k
/// projected problems of randomized subspace iteration (k ≲ 100), where Jacobi's O(n³) per sweep is negligible
/// and its accuracy (small eigenvalues to rounding relative to ‖A‖) and orthogonal vectors come for free.
/// </summary>
public static class SymmetricEigen
{
    /// <summary>
    /// Eigenvalues of the n×n row-major symmetric <paramref name="a"/> (destroyed), descending; row i of
    /// <paramref name="vectors"/> (n×n, overwritten) is the unit eigenvector of value i.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // called once per K-FAC refresh: too rarely to tier up
    public static double[] Decompose(double[] a, int n, double[] vectors)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(vectors);
        if (a.Length < n * n || vectors.Length < n * n) throw new ArgumentException($"Invalid size: {n} (the arrays hold fewer than n² values).");
        // vt accumulates the rotations as rows (the columns of V, A_final = Vᵀ A V), so that, like A's rows, they
        // are updated as contiguous spans.
        var vt = new double[n * n];
        for (int i = 0; i < n; i++) vt[i * n + i] = 1;
        double scale = 0;
        foreach (double x in a.AsSpan(0, n * n)) scale += x * x;
        for (int sweep = 0; sweep < 100; sweep++)
        {
            double off = 0;
            for (int p = 0; p < n; p++)
                for (int q = p + 1; q < n; q++) off += a[p * n + q] * a[p * n + q];
            // Relative stopping test, ‖off(A)‖ ≤ 1e-13 ‖A‖_F: rotations cannot push the off-diagonal mass much below
            // n·ε‖A‖, so a tighter test (1e-15) would never pass on a matrix with a wide spread of eigenvalues.
            if (off <= 1e-26 * scale || off == 0) break;
            for (int p = 0; p < n; p++)
                for (int q = p + 1; q < n; q++)
                {
                    double apq = a[p * n + q];
                    // Skipping rotations of entries already negligible against ‖A‖ saves most of the last sweeps.
                    if (apq * apq <= 1e-34 * scale) continue;
                    // The smaller root t of t² + 2θt − 1 = 0 keeps the rotation angle ≤ π/4 (stable).
                    double theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
                    double t = theta == 0 ? 1 : Math.Sign(theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    double c = 1 / Math.Sqrt(t * t + 1), s = t * c;
                    double app = a[p * n + p] - t * apq, aqq = a[q * n + q] + t * apq;
                    // A ← Jᵀ A J touches rows and columns p, q; by symmetry the new columns are the new rows, so
                    // rotate the two rows (contiguous, vectorised) and copy them into the columns.
                    Rotate(a.AsSpan(p * n, n), a.AsSpan(q * n, n), c, s);
                    for (int k = 0; k < n; k++)
                    {
                        a[k * n + p] = a[p * n + k];
                        a[k * n + q] = a[q * n + k];
                    }
                    a[p * n + p] = app;
                    a[q * n + q] = aqq;
                    a[p * n + q] = a[q * n + p] = 0;
                    Rotate(vt.AsSpan(p * n, n), vt.AsSpan(q * n, n), c, s);
                }
        }
        var order = Enumerable.Range(0, n).OrderByDescending(i => a[i * n + i]).ToArray();
        var values = new double[n];
        for (int i = 0; i < n; i++)
        {
            int j = order[i];
            values[i] = a[j * n + j];
            vt.AsSpan(j * n, n).CopyTo(vectors.AsSpan(i * n, n));
        }
        return values;
    }

    /// <summary>(x, y) ← (c x − s y, s x + c y), the plane rotation of two rows.</summary>
    private static void Rotate(Span<double> x, Span<double> y, double c, double s)
    {
        // Plain loops: rows here are k + p ≈ 40 long, where a library call's fixed cost outweighs its SIMD body.
        for (int k = 0; k < x.Length; k++)
        {
            double xk = x[k], yk = y[k];
            x[k] = c * xk - s * yk;
            y[k] = s * xk + c * yk;
        }
    }
}
