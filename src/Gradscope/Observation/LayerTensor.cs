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

    /// <summary>
    /// A recurrent layer's gate activations at step t, [BatchSize × G·FanOut] in PyTorch's order (LSTM i|f|g|o,
    /// GRU r|z|n); empty for a plain RNN and for layers without time.
    /// </summary>
    Gates,

    /// <summary>
    /// ∂C_x/∂(W_hh h_{t−1} + b_hh) at step t, [BatchSize × G·FanOut]: what reaches h_{t−1} through the recurrent
    /// weights is (W_hh)ᵀ times it. δ_t for a plain RNN.
    /// </summary>
    GateDelta,

    /// <summary>An LSTM's cell state c_t, [BatchSize × FanOut].</summary>
    CellState,

    /// <summary>∂C_x/∂c_t of an LSTM (the constant error carousel), [BatchSize × FanOut].</summary>
    CellGradient,
}
