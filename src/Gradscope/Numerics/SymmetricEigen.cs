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
    public static double[] Decompose(double[] a, int n, double[] vectors)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(vectors);
        if (a.Length < n * n || vectors.Length < n * n) throw new ArgumentException($"Invalid size: {n} (the arrays hold fewer than n² values).");
        // v accumulates the rotations as columns: A_final = Vᵀ A V, so column j of V pairs with A_final[j, j].
        var v = new double[n * n];
        for (int i = 0; i < n; i++) v[i * n + i] = 1;
        double scale = 0;
        foreach (double x in a.AsSpan(0, n * n)) scale += x * x;
        for (int sweep = 0; sweep < 100; sweep++)
        {
            double off = 0;
            for (int p = 0; p < n; p++)
                for (int q = p + 1; q < n; q++) off += a[p * n + q] * a[p * n + q];
            // Relative stopping test: off-diagonal mass at rounding level of the whole matrix.
            if (off <= 1e-30 * scale || off == 0) break;
            for (int p = 0; p < n; p++)
                for (int q = p + 1; q < n; q++)
                {
                    double apq = a[p * n + q];
                    if (apq == 0) continue;
                    // The smaller root t of t² + 2θt − 1 = 0 keeps the rotation angle ≤ π/4 (stable).
                    double theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
                    double t = theta == 0 ? 1 : Math.Sign(theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    double c = 1 / Math.Sqrt(t * t + 1), s = t * c;
                    for (int k = 0; k < n; k++)
                    {
                        double akp = a[k * n + p], akq = a[k * n + q];
                        a[k * n + p] = c * akp - s * akq;
                        a[k * n + q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++)
                    {
                        double apk = a[p * n + k], aqk = a[q * n + k];
                        a[p * n + k] = c * apk - s * aqk;
                        a[q * n + k] = s * apk + c * aqk;
                    }
                    for (int k = 0; k < n; k++)
                    {
                        double vkp = v[k * n + p], vkq = v[k * n + q];
                        v[k * n + p] = c * vkp - s * vkq;
                        v[k * n + q] = s * vkp + c * vkq;
                    }
                }
        }
        var order = Enumerable.Range(0, n).OrderByDescending(i => a[i * n + i]).ToArray();
        var values = new double[n];
        for (int i = 0; i < n; i++)
        {
            int j = order[i];
            values[i] = a[j * n + j];
            for (int k = 0; k < n; k++) vectors[i * n + k] = v[k * n + j];
        }
        return values;
    }
}
