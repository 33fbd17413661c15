using System.Numerics;
using Gradscope.Model;

namespace Gradscope.Training;

/// <summary>
/// Read-only view of weight layer l during backprop, handed to observers with no copy. Batch matrices are
/// [BatchSize × FanOut] (row i = example i); per-example quantities are rows (<see cref="Row"/>).
/// δ^l here is per example, ∂C_x/∂z^l; the parameter gradients are means over the batch.
/// In a normalised layer z^l = γ ⊙ û + b (û the normalised W a^{l−1}), so z^l is still σ's input and δ^l still
/// ∂C/∂z^l; in a residual layer <see cref="A"/> is σ(z^l) + a^{l−1} (docs/remedies.md).
/// </summary>
public readonly ref struct LayerTrace<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    // The spans are made when asked for: an observer that reads four of them (the minimal probes) should not pay
    // for building fourteen, per layer, per step.
    private readonly DenseLayer<T> _layer;
    private readonly Workspace<T> _ws;
    private readonly int _i, _n;

    internal LayerTrace(DenseLayer<T> layer, int batchSize, ReadOnlySpan<T> input, Workspace<T> ws, bool isOutput)
    {
        _layer = layer;
        _ws = ws;
        _i = layer.Index - 1;
        _n = batchSize * layer.FanOut;
        BatchSize = batchSize;
        IsOutput = isOutput;
        Input = input;
    }

    /// <summary>Nielsen's l (1 = first hidden layer).</summary>
    public int Layer => _layer.Index;
    public int BatchSize { get; }
    public int FanIn => _layer.FanIn;
    public int FanOut => _layer.FanOut;
    public Activation Activation => _layer.Activation;
    public bool IsOutput { get; }

    /// <summary>a^{l−1}, [BatchSize × FanIn].</summary>
    public ReadOnlySpan<T> Input { get; }

    /// <summary>z^l = W^l a^{l−1} + b^l (γ ⊙ û + b^l in a normalised layer).</summary>
    public ReadOnlySpan<T> Z => _ws.Z[_i].AsSpan(0, _n);

    /// <summary>a^l = σ(z^l) (plus a^{l−1} in a residual layer).</summary>
    public ReadOnlySpan<T> A => _ws.A[_i].AsSpan(0, _n);

    /// <summary>σ'(z^l).</summary>
    public ReadOnlySpan<T> SigmaPrime => _ws.SigmaPrime[_i].AsSpan(0, _n);

    /// <summary>δ^l = ((W^{l+1})ᵀ δ^{l+1}) ⊙ σ'(z^l), per example.</summary>
    public ReadOnlySpan<T> Delta => _ws.Delta[_i].AsSpan(0, _n);

    /// <summary>
    /// ∂C_x/∂a^l = (W^{l+1})ᵀ δ^{l+1}, the back-propagated signal before the σ' factor (empty for the output
    /// layer, whose δ comes from the cost). ‖this‖/‖δ^{l+1}‖ is the weight factor of the backward gain.
    /// </summary>
    public ReadOnlySpan<T> ActivationGradient => IsOutput ? default : _ws.ActivationGradient[_i].AsSpan(0, _n);

    /// <summary>Whether <see cref="DeltaSquares"/> and <see cref="ActivationGradientSquares"/> were summed on this step.</summary>
    public bool DeltaNormsMeasured => _ws.DeltaNormsMeasured;

    /// <summary>Σ_x ‖δ^l_x‖² over the batch, summed by backprop when an observer asked (<see cref="DeltaNormsMeasured"/>).</summary>
    public double DeltaSquares => _ws.DeltaSquares[_i];

    /// <summary>Σ_x ‖∂C_x/∂a^l‖² over the batch (hidden layers), summed with <see cref="DeltaSquares"/>.</summary>
    public double ActivationGradientSquares => _ws.ActivationGradientSquares[_i];

    /// <summary>The batch's targets y, [BatchSize × FanOut], on the output layer's trace only (empty elsewhere).</summary>
    public ReadOnlySpan<T> Target => IsOutput ? _ws.Target.AsSpan(0, _n) : default;

    /// <summary>∂C/∂W^l, [FanOut × FanIn], mean over the batch.</summary>
    public ReadOnlySpan<T> WeightGradient => _ws.WeightGradient[_i];

    /// <summary>∂C/∂b^l, [FanOut], mean over the batch: Nielsen's speed of learning is its norm.</summary>
    public ReadOnlySpan<T> BiasGradient => _ws.BiasGradient[_i];

    /// <summary>∂C/∂γ^l of a normalised layer, [FanOut], mean over the batch; empty otherwise.</summary>
    public ReadOnlySpan<T> ScaleGradient => _ws.ScaleGradient[_i];

    public ReadOnlySpan<T> Weights => _layer.Weights;
    public ReadOnlySpan<T> Biases => _layer.Biases;

    /// <summary>Row <paramref name="example"/> of a [BatchSize × FanOut] matrix of this trace.</summary>
    public ReadOnlySpan<T> Row(ReadOnlySpan<T> matrix, int example) => matrix.Slice(example * FanOut, FanOut);
}
