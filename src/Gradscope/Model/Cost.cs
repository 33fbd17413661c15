using System.Numerics;

namespace Gradscope.Model;

/// <summary>
/// A cost C_x per example and the output error δ^L = ∂C_x/∂z^L it induces. Each cost names the output
/// activation it is paired with; the pairing makes δ^L = a − y for cross-entropy and log-likelihood.
/// </summary>
public abstract class Cost
{
    public abstract string Name { get; }

    /// <summary>The output activation this cost expects by default (and, except for quadratic, requires).</summary>
    public abstract string DefaultOutput { get; }

    /// <summary>Whether the given output activation is allowed with this cost.</summary>
    public abstract bool Accepts(string outputActivation);

    /// <summary>C_x for one example, in float64.</summary>
    public abstract double Value<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> y) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>δ^L for one example from its output a, target y and σ'(z^L).</summary>
    public abstract void OutputDelta<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> y, ReadOnlySpan<T> sigmaPrime, Span<T> delta)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>
    /// Mean C_x over a batch of rows [rows × width], vectorised in T with <paramref name="scratch"/> (length ≥ 2·a.Length);
    /// falls back to the exact per-row float64 sum where the fast form meets 0·ln 0.
    /// </summary>
    public double BatchValue<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> y, int width, Span<T> scratch) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = a.Length / width;
        double fast = FastSum(a, y, scratch);
        if (double.IsFinite(fast)) return fast / rows;
        double sum = 0;
        for (int r = 0; r < rows; r++) sum += Value(a.Slice(r * width, width), y.Slice(r * width, width));
        return sum / rows;
    }

    /// <summary>Σ_x C_x over all rows at once; NaN when the fast form cannot be used.</summary>
    protected virtual double FastSum<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> y, Span<T> scratch) where T : unmanaged, IFloatingPointIeee754<T> => double.NaN;

    public static IReadOnlyList<string> Names { get; } = ["quadratic", "cross-entropy", "log-likelihood"];

    public static Cost Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Trim().ToLowerInvariant() switch
        {
            "quadratic" or "mse" => Costs.QuadraticCost.Instance,
            "cross-entropy" or "crossentropy" or "bce" => Costs.CrossEntropyCost.Instance,
            "log-likelihood" or "loglikelihood" or "nll" or "softmax" => Costs.LogLikelihoodCost.Instance,
            _ => throw new ArgumentException($"Unknown cost '{text}'. Valid: {string.Join(", ", Names)}."),
        };
    }

    public override string ToString() => Name;
}
