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
    internal LayerTrace(DenseLayer<T> layer, int batchSize, ReadOnlySpan<T> input, Workspace<T> ws, bool isOutput)
    {
        int i = layer.Index - 1;
        int n = batchSize * layer.FanOut;
        Layer = layer.Index;
        BatchSize = batchSize;
        FanIn = layer.FanIn;
        FanOut = layer.FanOut;
        Activation = layer.Activation;
        IsOutput = isOutput;
        Input = input;
        Z = ws.Z[i].AsSpan(0, n);
        A = ws.A[i].AsSpan(0, n);
        SigmaPrime = ws.SigmaPrime[i].AsSpan(0, n);
        Delta = ws.Delta[i].AsSpan(0, n);
        ActivationGradient = isOutput ? default : ws.ActivationGradient[i].AsSpan(0, n);
        Target = isOutput ? ws.Target.AsSpan(0, n) : default;
        WeightGradient = ws.WeightGradient[i];
        BiasGradient = ws.BiasGradient[i];
        ScaleGradient = ws.ScaleGradient[i];
        Weights = layer.Weights;
        Biases = layer.Biases;
    }

    /// <summary>Nielsen's l (1 = first hidden layer).</summary>
    public int Layer { get; }
    public int BatchSize { get; }
    public int FanIn { get; }
    public int FanOut { get; }
    public Activation Activation { get; }
    public bool IsOutput { get; }

    /// <summary>a^{l−1}, [BatchSize × FanIn].</summary>
    public ReadOnlySpan<T> Input { get; }

    /// <summary>z^l = W^l a^{l−1} + b^l (γ ⊙ û + b^l in a normalised layer).</summary>
    public ReadOnlySpan<T> Z { get; }

    /// <summary>a^l = σ(z^l) (plus a^{l−1} in a residual layer).</summary>
    public ReadOnlySpan<T> A { get; }

    /// <summary>σ'(z^l).</summary>
    public ReadOnlySpan<T> SigmaPrime { get; }

    /// <summary>δ^l = ((W^{l+1})ᵀ δ^{l+1}) ⊙ σ'(z^l), per example.</summary>
    public ReadOnlySpan<T> Delta { get; }

    /// <summary>
    /// ∂C_x/∂a^l = (W^{l+1})ᵀ δ^{l+1}, the back-propagated signal before the σ' factor (empty for the output
    /// layer, whose δ comes from the cost). ‖this‖/‖δ^{l+1}‖ is the weight factor of the backward gain.
    /// </summary>
    public ReadOnlySpan<T> ActivationGradient { get; }

    /// <summary>The batch's targets y, [BatchSize × FanOut], on the output layer's trace only (empty elsewhere).</summary>
    public ReadOnlySpan<T> Target { get; }

    /// <summary>∂C/∂W^l, [FanOut × FanIn], mean over the batch.</summary>
    public ReadOnlySpan<T> WeightGradient { get; }

    /// <summary>∂C/∂b^l, [FanOut], mean over the batch: Nielsen's speed of learning is its norm.</summary>
    public ReadOnlySpan<T> BiasGradient { get; }

    /// <summary>∂C/∂γ^l of a normalised layer, [FanOut], mean over the batch; empty otherwise.</summary>
    public ReadOnlySpan<T> ScaleGradient { get; }

    public ReadOnlySpan<T> Weights { get; }
    public ReadOnlySpan<T> Biases { get; }

    /// <summary>Row <paramref name="example"/> of a [BatchSize × FanOut] matrix of this trace.</summary>
    public ReadOnlySpan<T> Row(ReadOnlySpan<T> matrix, int example) => matrix.Slice(example * FanOut, FanOut);
}
