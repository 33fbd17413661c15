using System.Globalization;
using System.Numerics;

namespace Gradscope.Model;

/// <summary>
/// An element-wise activation σ with its derivative σ'. Forward writes a = σ(z) and σ'(z) in one pass, so
/// backprop reads σ'(z^l) instead of recomputing it, and probes read it for free.
/// </summary>
public abstract class Activation
{
    /// <summary>Canonical name, as written in specs and model files (e.g. <c>leaky-relu:0.01</c>).</summary>
    public abstract string Name { get; }

    /// <summary>The largest value σ' takes; a unit counts as saturated when σ'(z) is below 1% of it.</summary>
    public abstract double MaxDerivative { get; }

    /// <summary>a = σ(z) and sigmaPrime = σ'(z), element-wise.</summary>
    public abstract void Forward<T>(ReadOnlySpan<T> z, Span<T> a, Span<T> sigmaPrime)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>
    /// Forward over a [rows × width] matrix. Element-wise activations ignore the row structure; softmax,
    /// which normalises each row, overrides this.
    /// </summary>
    public virtual void ForwardRows<T>(ReadOnlySpan<T> z, Span<T> a, Span<T> sigmaPrime, int width)
        where T : unmanaged, IFloatingPointIeee754<T> => Forward(z, a, sigmaPrime);

    /// <summary>σ(z) in float64, for references and tests.</summary>
    public abstract double Invoke(double z);

    /// <summary>σ'(z) in float64, for references and tests.</summary>
    public abstract double Derivative(double z);

    public override string ToString() => Name;

    /// <summary>Parses an output-layer activation: any element-wise one, or <c>softmax</c>.</summary>
    public static Activation ParseOutput(string text) =>
        text.Trim().Equals("softmax", StringComparison.OrdinalIgnoreCase) ? Activations.Softmax.Instance : Parse(text);

    /// <summary>Every name <see cref="Parse"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["identity", "sigmoid", "tanh", "relu", "leaky-relu", "elu", "selu", "gelu", "softsign", "softplus"];

    /// <summary>
    /// Parses a name, optionally with a parameter after a colon: <c>leaky-relu:0.2</c> (α, default 0.01),
    /// <c>elu:1.0</c> (α, default 1).
    /// </summary>
    public static Activation Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string name = text.Trim().ToLowerInvariant();
        double? parameter = null;
        int colon = name.IndexOf(':');
        if (colon >= 0)
        {
            string p = name[(colon + 1)..];
            if (!double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
                throw new ArgumentException($"Activation '{text}': parameter '{p}' is not a finite number.");
            parameter = value;
            name = name[..colon];
        }
        Activation result = name switch
        {
            "identity" or "linear" => Activations.Identity.Instance,
            "sigmoid" or "logistic" => Activations.Sigmoid.Instance,
            "tanh" => Activations.Tanh.Instance,
            "relu" => Activations.Relu.Instance,
            "leaky-relu" or "leakyrelu" or "lrelu" => new Activations.LeakyRelu(parameter ?? 0.01),
            "elu" => new Activations.Elu(parameter ?? 1.0),
            "selu" => Activations.Selu.Instance,
            "gelu" => Activations.Gelu.Instance,
            "softsign" => Activations.Softsign.Instance,
            "softplus" => Activations.Softplus.Instance,
            _ => throw new ArgumentException($"Unknown activation '{text}'. Valid: {string.Join(", ", Names)}."),
        };
        if (parameter is not null && result is not Activations.LeakyRelu and not Activations.Elu)
            throw new ArgumentException($"Activation '{text}': '{name}' takes no parameter.");
        return result;
    }
}
