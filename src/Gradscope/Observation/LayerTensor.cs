namespace Gradscope.Observation;

/// <summary>The named tensors of a layer view, each [BatchSize × width] with one row per example.</summary>
public enum LayerTensor
{
    /// <summary>a^{l−1}, the layer's input, [BatchSize × FanIn].</summary>
    Input,

    /// <summary>z^l, σ's input (γ ⊙ û + b^l in a normalised layer).</summary>
    Z,

    /// <summary>a^l = σ(z^l) (plus a^{l−1} in a residual block).</summary>
    A,

    /// <summary>σ'(z^l).</summary>
    SigmaPrime,

    /// <summary>δ^l = ∂C_x/∂z^l per example.</summary>
    Delta,

    /// <summary>∂C_x/∂a^l = (W^{l+1})ᵀ δ^{l+1} per example (empty on the output layer, whose δ comes from the cost).</summary>
    ActivationGradient,

    /// <summary>The targets y (output layer only; empty elsewhere).</summary>
    Target,
}
