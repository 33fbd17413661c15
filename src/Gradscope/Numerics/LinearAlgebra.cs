namespace Gradscope.Numerics;

/// <summary>Small dense linear algebra in float64 for probes and experiments (not on the training path).</summary>
public static class LinearAlgebra
{
    /// <summary>
    /// Eigenvalues of a symmetric n×n matrix (row-major; destroyed) by cyclic Jacobi rotations, descending.
    /// Jacobi is slow for large n but accurate to rounding for the small Gram matrices probes form.
    /// </summary>
    public static double[] SymmetricEigenvalues(double[] a, int n)
    {
        for (int sweep = 0; sweep < 100; sweep++)
        {
            double off = 0;
            for (int p = 0; p < n; p++)
                for (int q = p + 1; q < n; q++) off += a[p * n + q] * a[p * n + q];
            if (off < 1e-30) break;
            for (int p = 0; p < n; p++)
                for (int q = p + 1; q < n; q++)
                {
                    double apq = a[p * n + q];
                    if (Math.Abs(apq) < 1e-300) continue;
                    double theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
                    double t = Math.Sign(theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    if (theta == 0) t = 1;
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
                }
        }
        var eigen = new double[n];
        for (int i = 0; i < n; i++) eigen[i] = a[i * n + i];
        Array.Sort(eigen, (x, y) => y.CompareTo(x));
        return eigen;
    }

    /// <summary>
    /// Singular values of an r×c row-major matrix, descending, by one-sided Jacobi (Hestenes): rotate pairs of
    /// rows (or columns, whichever are fewer) until orthogonal; their norms are the singular values. Unlike the
    /// Gram-matrix route it keeps small singular values accurate, which condition numbers of deep products need.
    /// </summary>
    public static double[] SingularValues(ReadOnlySpan<double> m, int rows, int cols)
    {
        bool byRows = rows <= cols;
        int n = byRows ? rows : cols, length = byRows ? cols : rows;
        var v = new double[n * length];
        for (int i = 0; i < rows; i++)
            for (int k = 0; k < cols; k++)
                if (byRows) v[i * length + k] = m[i * cols + k];
                else v[k * length + i] = m[i * cols + k];
        for (int sweep = 0; sweep < 60; sweep++)
        {
            bool rotated = false;
            for (int p = 0; p < n; p++)
                for (int q = p + 1; q < n; q++)
                {
                    var vp = v.AsSpan(p * length, length);
                    var vq = v.AsSpan(q * length, length);
                    double alpha = 0, beta = 0, gamma = 0;
                    for (int k = 0; k < length; k++)
                    {
                        alpha += vp[k] * vp[k];
                        beta += vq[k] * vq[k];
                        gamma += vp[k] * vq[k];
                    }
                    if (Math.Abs(gamma) <= 1e-15 * Math.Sqrt(alpha * beta) || gamma == 0) continue;
                    rotated = true;
                    double zeta = (beta - alpha) / (2 * gamma);
                    double t = Math.Sign(zeta) / (Math.Abs(zeta) + Math.Sqrt(1 + zeta * zeta));
                    if (zeta == 0) t = 1;
                    double c = 1 / Math.Sqrt(1 + t * t), s = c * t;
                    for (int k = 0; k < length; k++)
                    {
                        double a = vp[k], b = vq[k];
                        vp[k] = c * a - s * b;
                        vq[k] = s * a + c * b;
                    }
                }
            if (!rotated) break;
        }
        var singular = new double[n];
        for (int i = 0; i < n; i++)
        {
            double sum = 0;
            foreach (double x in v.AsSpan(i * length, length)) sum += x * x;
            singular[i] = Math.Sqrt(sum);
        }
        Array.Sort(singular, (x, y) => y.CompareTo(x));
        return singular;
    }

    /// <summary>
    /// Largest singular value of W [rows × cols] by power iteration on WᵀW, warm-started from (and updating)
    /// <paramref name="v"/> (length cols; all zero means cold start), stopping early once σ changes by less than
    /// <paramref name="tolerance"/> relatively.
    /// </summary>
    public static double SpectralNorm<T>(ReadOnlySpan<T> w, int rows, int cols, Span<double> v, int iterations, double tolerance = 1e-9)
        where T : unmanaged, System.Numerics.INumberBase<T> =>
        SpectralNorm(w, rows, cols, v, new double[rows], iterations, tolerance);

    /// <summary>As above, with the caller's scratch <paramref name="u"/> (length ≥ rows) for Wv, so a probe due every step allocates nothing.</summary>
    public static double SpectralNorm<T>(ReadOnlySpan<T> w, int rows, int cols, Span<double> v, Span<double> u, int iterations, double tolerance = 1e-9)
        where T : unmanaged, System.Numerics.INumberBase<T>
    {
        if (u.Length < rows) throw new ArgumentException($"Spectral norm of {rows} rows needs a scratch vector of {rows}, got {u.Length}.");
        double norm = 0;
        foreach (double x in v) norm += x * x;
        if (norm == 0)
            for (int k = 0; k < cols; k++) v[k] = 1.0 / Math.Sqrt(cols) * (1 + 0.01 * (k % 7));
        double sigma = 0;
        for (int it = 0; it < iterations; it++)
        {
            double un = 0;
            for (int i = 0; i < rows; i++)
            {
                double s = 0;
                for (int k = 0; k < cols; k++) s += double.CreateTruncating(w[i * cols + k]) * v[k];
                u[i] = s;
                un += s * s;
            }
            double previous = sigma;
            sigma = Math.Sqrt(un);
            if (sigma == 0) return 0;
            if (Math.Abs(sigma - previous) <= tolerance * sigma) return sigma;
            v.Clear();
            for (int i = 0; i < rows; i++)
            {
                double ui = u[i] / sigma;
                for (int k = 0; k < cols; k++) v[k] += double.CreateTruncating(w[i * cols + k]) * ui;
            }
            double vn = 0;
            foreach (double x in v) vn += x * x;
            vn = Math.Sqrt(vn);
            if (vn == 0) return 0;
            for (int k = 0; k < cols; k++) v[k] /= vn;
        }
        return sigma;
    }
}
