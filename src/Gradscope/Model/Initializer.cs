using System.Globalization;
using Gradscope.Numerics;

namespace Gradscope.Model;

/// <summary>
/// Weight initialisers by name. Each fills W [fanOut × fanIn] from the given stream in row-major order, so the same
/// seed always gives the same weights. Variances follow the papers: Glorot &amp; Bengio 2010 (2/(n_in+n_out)),
/// He et al. 2015 (2/n_in), LeCun 1998 (1/n_in), Saxe et al. 2014 (orthogonal).
/// </summary>
public sealed class Initializer
{
    private Initializer(string name, double gain)
    {
        Name = name;
        Gain = gain;
    }

    public string Name { get; }

    /// <summary>Multiplies every weight (the orthogonal initialiser's gain; 1 for the others unless given).</summary>
    public double Gain { get; }

    public static IReadOnlyList<string> Names { get; } =
        ["standard-normal", "scaled-normal", "glorot-uniform", "glorot-normal", "he-normal", "he-uniform", "lecun-normal", "orthogonal", "standard-uniform"];

    /// <summary>Parses a name with an optional gain after a colon, e.g. <c>orthogonal:1.5</c>.</summary>
    public static Initializer Parse(string text, double? gain = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        string name = text.Trim().ToLowerInvariant();
        int colon = name.IndexOf(':');
        if (colon >= 0)
        {
            string p = name[(colon + 1)..];
            if (!double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out double g))
                throw new ArgumentException($"Initialiser '{text}': gain '{p}' is not a number.");
            gain = g;
            name = name[..colon];
        }
        if (!Names.Contains(name))
            throw new ArgumentException($"Unknown initialiser '{text}'. Valid: {string.Join(", ", Names)}.");
        double value = gain ?? 1.0;
        if (!double.IsFinite(value) || value <= 0)
            throw new ArgumentException($"Initialiser '{text}': gain must be a positive finite number, got {value}.");
        return new Initializer(name, value);
    }

    /// <summary>Standard deviation of each weight for a layer of the given fan-in and fan-out (before the gain).</summary>
    public double Scale(int fanIn, int fanOut) => Name switch
    {
        "standard-normal" => 1.0,
        "scaled-normal" or "lecun-normal" => Math.Sqrt(1.0 / fanIn),
        "glorot-normal" => Math.Sqrt(2.0 / (fanIn + fanOut)),
        "glorot-uniform" => Math.Sqrt(2.0 / (fanIn + fanOut)),
        "he-normal" or "he-uniform" => Math.Sqrt(2.0 / fanIn),
        // Glorot & Bengio's "standard" U[−1/√n, 1/√n] has variance 1/(3n).
        "standard-uniform" => Math.Sqrt(1.0 / (3.0 * fanIn)),
        "orthogonal" => 1.0,
        _ => throw new InvalidOperationException(Name),
    };

    public void Fill(Span<double> weights, int fanOut, int fanIn, Rng rng)
    {
        if (weights.Length != fanOut * fanIn)
            throw new ArgumentException($"Weight buffer of {weights.Length} does not match {fanOut}×{fanIn}.");
        double std = Scale(fanIn, fanOut);
        switch (Name)
        {
            case "glorot-uniform" or "he-uniform" or "standard-uniform":
                double limit = Gain * std * Math.Sqrt(3.0); // U[−r, r] has std r/√3
                for (int i = 0; i < weights.Length; i++) weights[i] = rng.Uniform(-limit, limit);
                break;
            case "orthogonal":
                Orthogonal(weights, fanOut, fanIn, rng);
                for (int i = 0; i < weights.Length; i++) weights[i] *= Gain;
                break;
            default:
                for (int i = 0; i < weights.Length; i++) weights[i] = Gain * std * rng.NextNormal();
                break;
        }
    }

    /// <summary>
    /// A (semi-)orthogonal matrix: Gram–Schmidt (twice, for stability) on the rows of a Gaussian matrix if
    /// fanOut ≤ fanIn, else on its columns; sign-corrected like QR with a positive-diagonal R so the law is Haar.
    /// </summary>
    private static void Orthogonal(Span<double> w, int rows, int cols, Rng rng)
    {
        bool byRows = rows <= cols;
        int count = byRows ? rows : cols;
        int length = byRows ? cols : rows;
        var v = new double[count * length];
        for (int i = 0; i < v.Length; i++) v[i] = rng.NextNormal();
        for (int i = 0; i < count; i++)
        {
            var vi = v.AsSpan(i * length, length);
            double originalNorm = Norm(vi);
            for (int pass = 0; pass < 2; pass++)
            {
                for (int j = 0; j < i; j++)
                {
                    var vj = v.AsSpan(j * length, length);
                    double dot = 0;
                    for (int t = 0; t < length; t++) dot += vi[t] * vj[t];
                    for (int t = 0; t < length; t++) vi[t] -= dot * vj[t];
                }
            }
            double norm = Norm(vi);
            if (norm < 1e-12 * Math.Max(1.0, originalNorm))
                throw new InvalidOperationException("Orthogonal initialisation drew a degenerate matrix.");
            for (int t = 0; t < length; t++) vi[t] /= norm;
        }
        for (int i = 0; i < count; i++)
            for (int t = 0; t < length; t++)
                if (byRows) w[i * cols + t] = v[i * length + t];
                else w[t * cols + i] = v[i * length + t];
    }

    private static double Norm(ReadOnlySpan<double> x)
    {
        double s = 0;
        foreach (double value in x) s += value * value;
        return Math.Sqrt(s);
    }

    public override string ToString() => Gain == 1.0 ? Name : $"{Name}:{Gain.ToString("R", CultureInfo.InvariantCulture)}";
}
