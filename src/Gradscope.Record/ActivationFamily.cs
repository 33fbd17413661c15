using System.Globalization;

namespace Gradscope.Record;

/// <summary>
/// What a record reader needs to know about an activation from its name alone (runs name no engine type): whether it
/// is piecewise linear, what bounds its σ', and which cost is matched to it as an output. A test holds
/// these against the engine's own activations.
/// </summary>
public static class ActivationFamily
{
    /// <summary>
    /// ReLU, leaky ReLU and identity: σ' is constant on each side of 0, so σ' ≈ 0 means z &lt; 0 — the unit is
    /// <i>inactive</i> for that example, by design — never a saturated tail. Their failure mode is a dead unit.
    /// </summary>
    public static bool IsPiecewiseLinear(string? name) =>
        Base(name) is "relu" or "identity" or "linear" or "leaky-relu" or "leakyrelu" or "lrelu";

    /// <summary>
    /// One sentence on what bounds σ' for a layer of this activation, for figure captions: the sigmoid's 0.25 is
    /// said only of sigmoid layers.
    /// </summary>
    public static string DerivativeBound(string? name) => Base(name) switch
    {
        "sigmoid" or "logistic" => "the sigmoid's σ′ never exceeds 0.25, so each sigmoid layer shrinks the gradient at least 4-fold",
        "tanh" => "tanh's σ′ is at most 1 (at z = 0) and falls towards 0 as |z| grows",
        "relu" => "ReLU's σ′ is 1 where z > 0 and 0 where z < 0, so its mean is the share of active units",
        "leaky-relu" or "leakyrelu" or "lrelu" => $"leaky ReLU's σ′ is 1 where z > 0 and α = {Number(Parameter(name) ?? 0.01)} where z < 0",
        "identity" or "linear" => "the identity's σ′ is 1 everywhere",
        "elu" => "ELU's σ′ is 1 where z > 0 and falls towards 0 as z goes negative",
        "selu" => "SELU's σ′ is λ ≈ 1.05 where z > 0 and λαeᶻ (at most 1.76, falling towards 0) where z < 0",
        "softsign" => "softsign's σ′ = 1/(1+|z|)² is at most 1 and falls polynomially",
        "softplus" => "softplus's σ′ is the sigmoid of z: between 0 and 1",
        "gelu" => "GELU's σ′ peaks at about 1.13 and is near 0 for large negative z",
        _ => $"σ′ of {name ?? "this activation"}",
    };

    /// <summary>
    /// Whether an output layer of this activation with this cost is the matched pair — sigmoid with cross-entropy,
    /// softmax with log-likelihood, identity with quadratic — whose δ^L = a − y carries no σ'(z^L) factor, so a
    /// saturated output is the net being confident, not a stalled layer.
    /// </summary>
    public static bool IsMatchedOutput(string? activation, string? cost) => (Base(activation), cost?.Trim().ToLowerInvariant()) switch
    {
        ("sigmoid" or "logistic", "cross-entropy") => true,
        ("softmax", "log-likelihood") => true,
        ("identity" or "linear", "quadratic") => true,
        _ => false,
    };

    private static string? Base(string? name)
    {
        if (name is null) return null;
        string n = name.Trim().ToLowerInvariant();
        int colon = n.IndexOf(':');
        return colon >= 0 ? n[..colon] : n;
    }

    private static double? Parameter(string? name)
    {
        int colon = name?.IndexOf(':') ?? -1;
        return colon >= 0 && double.TryParse(name![(colon + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : null;
    }

    private static string Number(double v) => v.ToString("G4", CultureInfo.InvariantCulture);
}
