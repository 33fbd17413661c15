namespace Gradscope.Numerics;

/// <summary>
/// The spectral radius ρ(W) = max |λ_i| of a square (not necessarily symmetric) matrix, by Gelfand's formula
/// ρ = lim ‖W^k‖^{1/k}: repeated squaring to k = 2^40, rescaling each power to Frobenius norm 1 and adding the
/// logarithms of the scales. The error of ‖W^k‖_F^{1/k} is a factor (C·k^{d})^{1/k} → 1 for a Jordan block of size
/// d, far below 1e−6 at k = 2^40. Power iteration would not do: a real matrix's largest eigenvalues are often a
/// complex pair, and the iterate then rotates instead of converging.
/// </summary>
public static class SpectralRadius
{
    public static double Of(ReadOnlySpan<double> w, int n) => Of(w, n, new double[n * n], new double[n * n]);

    /// <summary>ρ(W) in the caller's scratch <paramref name="p"/> and <paramref name="q"/> (n² each), so a probe due every step allocates nothing.</summary>
    public static double Of(ReadOnlySpan<double> w, int n, Span<double> p, Span<double> q)
    {
        if (w.Length != n * n) throw new ArgumentException($"Spectral radius needs a square matrix: {w.Length} values for {n}×{n}.");
        if (p.Length < n * n || q.Length < n * n) throw new ArgumentException($"Spectral radius of {n}×{n} needs two scratch matrices of {n * n}.");
        p = p[..(n * n)];
        q = q[..(n * n)];
        w.CopyTo(p);
        double logNorm = 0; // log ‖W^k‖ accumulated: log ‖P_{j+1}‖ = 2 log ‖P_j‖ + log ‖P̂_j²‖
        double scale = Frobenius(p);
        if (scale == 0) return 0;
        Scale(p, 1 / scale);
        logNorm = Math.Log(scale);
        double k = 1;
        for (int j = 0; j < 40; j++)
        {
            Gemm.Multiply(false, false, n, n, n, 1.0, p, n, p, n, 0.0, q, n);
            double s = Frobenius(q);
            if (s == 0) return 0; // nilpotent
            Scale(q, 1 / s);
            var swap = p;
            p = q;
            q = swap;
            logNorm = 2 * logNorm + Math.Log(s);
            k *= 2;
        }
        return Math.Exp(logNorm / k);
    }

    private static double Frobenius(ReadOnlySpan<double> x)
    {
        double sum = 0;
        foreach (double v in x) sum += v * v;
        return Math.Sqrt(sum);
    }

    private static void Scale(Span<double> x, double factor)
    {
        for (int i = 0; i < x.Length; i++) x[i] *= factor;
    }
}
