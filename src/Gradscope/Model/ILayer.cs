using System.Numerics;

namespace Gradscope.Model;

/// <summary>
/// One layer of a network: it owns its parameters and its maths, forward and backward side by side; the network
/// only sequences layers (<see cref="Training.Backprop"/>). Layers keep Nielsen's index l (1 = first hidden layer,
/// L = output), the index every probe reports on. Matrices are row-major [examples × units].
/// <para>
/// Contract of a pass over <c>count</c> examples: <see cref="Forward"/> reads a^{l−1} and fills z^l, a^l, σ'(z^l)
/// in its buffers. <see cref="Backward"/> starts from ∂C/∂a^l in <see cref="LayerBuffers{T}.ActivationGradient"/>
/// (or from δ^l already in <see cref="LayerBuffers{T}.Delta"/> on the output layer, where the cost gives it), forms
/// δ^l = ∂C/∂a^l ⊙ σ'(z^l), writes the mean gradient of each parameter (slot order) and, unless
/// <c>inputGradient</c> is empty, ∂C/∂a^{l−1}.
/// </para>
/// <para>
/// A layer with a time dimension fits the same contract without touching the others: a recurrent layer's
/// <see cref="CreateBuffers"/> returns buffers that also hold h_t for t = 1…τ, its Forward unrolls over t and
/// leaves the last step's tensors as z, a, σ'; its Backward runs back-propagation through time inside, adding the
/// gradient of its recurrent weights (role <see cref="ParameterRole.Recurrent"/>) over t. Observers see it through
/// one <see cref="Observation.LayerView{T}"/> per time step, built with the view's time index t
/// (<see cref="TimeSteps"/> says how many), then one view without a time index for the layer as a whole (its last
/// step), so a probe of ‖∂C/∂h_t‖ needs no new hook and a per-layer probe sees one view per layer.
/// Such a layer reads and writes whole sequences: <see cref="InputWidth"/> and <see cref="OutputWidth"/> give the
/// values per example its neighbours exchange with it (τ·FanIn in, τ·FanOut or FanOut out).
/// </para>
/// </summary>
public interface ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Nielsen's l.</summary>
    int Index { get; }

    /// <summary>Width of a^{l−1}.</summary>
    int FanIn { get; }

    /// <summary>Width of z^l and a^l.</summary>
    int FanOut { get; }

    /// <summary>σ of this layer; σ'(z^l) is kept in the buffers for backprop and observers.</summary>
    Activation Activation { get; }

    /// <summary>Trained tensors, in slot order.</summary>
    IReadOnlyList<Parameter<T>> Parameters { get; }

    /// <summary>Untrained state saved with the model (batch normalisation's running mean and variance); empty for most layers.</summary>
    IReadOnlyList<T[]> State { get; }

    /// <summary>Time steps a view of this layer can have (1 for a layer without a time dimension).</summary>
    int TimeSteps => 1;

    /// <summary>
    /// Rows each example gives this layer's tensors: τ for a read-out at every time step (one row per step), 1 for
    /// the others. Its view then shows BatchSize × this many rows.
    /// </summary>
    int RowsPerExample => 1;

    /// <summary>Values per example of the layer's input as the layer below (or the data) hands it over.</summary>
    int InputWidth => FanIn;

    /// <summary>Values per example of <see cref="LayerBuffers{T}.A"/> as the layer above reads it.</summary>
    int OutputWidth => FanOut;

    /// <summary>The buffers one pass over up to <paramref name="capacity"/> examples needs, allocated once.</summary>
    LayerBuffers<T> CreateBuffers(int capacity);

    void Forward(ReadOnlySpan<T> input, LayerBuffers<T> buffers, in PassContext pass);

    void Backward(ReadOnlySpan<T> input, LayerBuffers<T> buffers, Span<T> inputGradient, in PassContext pass);
}
