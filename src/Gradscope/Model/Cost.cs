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
