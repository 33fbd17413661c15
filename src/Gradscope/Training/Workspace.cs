using System.Numerics;
using Gradscope.Model;

namespace Gradscope.Training;

/// <summary>
/// Every buffer one forward/backward pass needs for up to <see cref="Capacity"/> examples, allocated once.
/// Matrices are row-major [examples × units]; row i belongs to example i of the batch.
/// </summary>
public sealed class Workspace<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public Workspace(Network<T> network, int capacity)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (capacity < 1) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, $"Workspace capacity must be positive, got {capacity}.");
        Capacity = capacity;
        Input = new T[capacity * network.InputSize];
        Target = new T[capacity * network.OutputSize];
        int depth = network.Depth;
        Z = new T[depth][];
        A = new T[depth][];
        SigmaPrime = new T[depth][];
        Delta = new T[depth][];
        ActivationGradient = new T[depth][];
        DeltaSquares = new double[depth];
        ActivationGradientSquares = new double[depth];
        WeightGradient = new T[depth][];
        BiasGradient = new T[depth][];
        Hat = new T[depth][];
        InverseStd = new double[depth][];
        NormGradient = new T[depth][];
        ScaleGradient = new T[depth][];
        for (int i = 0; i < depth; i++)
        {
            var layer = network.Layers[i];
            Z[i] = new T[capacity * layer.FanOut];
            A[i] = new T[capacity * layer.FanOut];
            SigmaPrime[i] = new T[capacity * layer.FanOut];
            Delta[i] = new T[capacity * layer.FanOut];
            ActivationGradient[i] = new T[capacity * layer.FanOut];
            WeightGradient[i] = new T[layer.Weights.Length];
            BiasGradient[i] = new T[layer.Biases.Length];
            bool normalized = layer.Normalization != Normalization.None;
            Hat[i] = normalized ? new T[capacity * layer.FanOut] : [];
            InverseStd[i] = normalized ? new double[Math.Max(capacity, layer.FanOut)] : [];
            NormGradient[i] = normalized ? new T[capacity * layer.FanOut] : [];
            ScaleGradient[i] = new T[layer.Scale.Length];
        }
    }

    public int Capacity { get; }

    /// <summary>a^0, the batch's inputs.</summary>
    public T[] Input { get; }
    public T[] Target { get; }

    // Indexed by l − 1.
    internal T[][] Z { get; }
    internal T[][] A { get; }
    internal T[][] SigmaPrime { get; }
    internal T[][] Delta { get; }
    internal T[][] ActivationGradient { get; }
    internal T[][] WeightGradient { get; }
    internal T[][] BiasGradient { get; }

    // Normalised layers only (empty otherwise): û, 1/√(var + ε) per unit (batch) or per example (layer),
    // ∂C/∂u of the dense product u = W a^{l−1}, and ∂C/∂γ.
    internal T[][] Hat { get; }
    internal double[][] InverseStd { get; }
    internal T[][] NormGradient { get; }
    internal T[][] ScaleGradient { get; }

    /// <summary>
    /// Σ over the batch of ‖δ^l‖² and of ‖∂C/∂a^l‖² (index l − 1), summed by the last backward pass in the pass that
    /// formed δ, when an observer asked (<see cref="ITrainingObserver{T}.WantsDeltaNorms"/>; else stale).
    /// </summary>
    internal double[] DeltaSquares { get; }
    internal double[] ActivationGradientSquares { get; }
    internal bool DeltaNormsMeasured { get; set; }

    /// <summary>Whether the last forward pass normalised with batch statistics (so backward differentiates through them).</summary>
    internal bool BatchStatistics { get; set; }

    /// <summary>∂C/∂γ^l of the last backward pass (empty without normalisation).</summary>
    public ReadOnlySpan<T> ScaleGradientOf(int l) => ScaleGradient[l - 1];

    /// <summary>∂C/∂W^l of the last backward pass (mean over its batch).</summary>
    public ReadOnlySpan<T> WeightGradientOf(int l) => WeightGradient[l - 1];

    /// <summary>∂C/∂b^l of the last backward pass (mean over its batch).</summary>
    public ReadOnlySpan<T> BiasGradientOf(int l) => BiasGradient[l - 1];

    /// <summary>σ'(z^l) of example <paramref name="row"/> in the last forward pass.</summary>
    public ReadOnlySpan<T> SigmaPrimeOf(int l, int row)
    {
        int width = SigmaPrime[l - 1].Length / Capacity;
        return SigmaPrime[l - 1].AsSpan(row * width, width);
    }

    /// <summary>a^L of the last forward pass, [count × outputs].</summary>
    public ReadOnlySpan<T> Output(int count) => A[^1].AsSpan(0, count * (A[^1].Length / Capacity));

    /// <summary>Copies the given examples into <see cref="Input"/> and <see cref="Target"/>.</summary>
    public void Load(Data.Dataset<T> data, ReadOnlySpan<int> indices)
    {
        if (indices.Length > Capacity)
            throw new ArgumentException($"Batch of {indices.Length} exceeds the workspace capacity {Capacity}.");
        int n = data.InputSize, m = data.OutputSize;
        for (int i = 0; i < indices.Length; i++)
        {
            data.Input(indices[i]).CopyTo(Input.AsSpan(i * n, n));
            data.Target(indices[i]).CopyTo(Target.AsSpan(i * m, m));
        }
    }

    /// <summary>Copies examples [start, start + count) into <see cref="Input"/> and <see cref="Target"/>.</summary>
    public void Load(Data.Dataset<T> data, int start, int count)
    {
        if (count > Capacity)
            throw new ArgumentException($"Batch of {count} exceeds the workspace capacity {Capacity}.");
        data.Inputs.Slice(start * data.InputSize, count * data.InputSize).CopyTo(Input);
        data.Targets.Slice(start * data.OutputSize, count * data.OutputSize).CopyTo(Target);
    }
}
