using System.Numerics;
using Gradscope.Model;

namespace Gradscope.Training;

/// <summary>
/// Every buffer one forward/backward pass needs for up to <see cref="Capacity"/> examples, allocated once: each
/// layer's own (<see cref="ILayer{T}.CreateBuffers"/>, with its parameters' gradients) and the batch's inputs and targets.
/// Matrices are row-major [examples × units]; row i belongs to example i of the batch.
/// </summary>
public sealed class Workspace<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Network<T> _network;

    public Workspace(Network<T> network, int capacity)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (capacity < 1) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, $"Workspace capacity must be positive, got {capacity}.");
        _network = network;
        Capacity = capacity;
        Input = new T[capacity * network.InputSize];
        Target = new T[capacity * network.OutputSize];
        Layers = new LayerBuffers<T>[network.Depth];
        for (int i = 0; i < Layers.Length; i++) Layers[i] = network.Layers[i].CreateBuffers(capacity);
    }

    public int Capacity { get; }

    /// <summary>a^0, the batch's inputs.</summary>
    public T[] Input { get; }
    public T[] Target { get; }

    /// <summary>Layer l's buffers at index l − 1.</summary>
    internal LayerBuffers<T>[] Layers { get; }

    /// <summary>∂C/∂θ of the last backward pass (mean over its batch).</summary>
    public Span<T> GradientOf(Parameter<T> parameter) => Layers[parameter.Layer - 1].Gradients[parameter.Slot];

    /// <summary>∂C/∂θ of layer l's parameter with <paramref name="role"/>; empty when the layer has none.</summary>
    public ReadOnlySpan<T> GradientOf(int l, ParameterRole role) =>
        _network.Find(l, role) is { } p ? GradientOf(p) : default;

    /// <summary>∂C/∂W^l of the last backward pass (mean over its batch).</summary>
    public ReadOnlySpan<T> WeightGradientOf(int l) => GradientOf(l, ParameterRole.Weight);

    /// <summary>∂C/∂b^l of the last backward pass (mean over its batch).</summary>
    public ReadOnlySpan<T> BiasGradientOf(int l) => GradientOf(l, ParameterRole.Bias);

    /// <summary>∂C/∂γ^l of the last backward pass (empty without normalisation).</summary>
    public ReadOnlySpan<T> ScaleGradientOf(int l) => GradientOf(l, ParameterRole.Gain);

    /// <summary>σ'(z^l) of example <paramref name="row"/> in the last forward pass.</summary>
    public ReadOnlySpan<T> SigmaPrimeOf(int l, int row)
    {
        var buffers = Layers[l - 1];
        return buffers.SigmaPrime.AsSpan(row * buffers.Width, buffers.Width);
    }

    /// <summary>a^l of the first <paramref name="count"/> examples in the last forward pass.</summary>
    public ReadOnlySpan<T> ActivationsOf(int l, int count) => Layers[l - 1].A.AsSpan(0, count * Layers[l - 1].Width);

    /// <summary>a^L of the last forward pass, [count × outputs] ([count × τ × outputs] for a read-out at every step).</summary>
    public ReadOnlySpan<T> Output(int count) => Layers[^1].A.AsSpan(0, count * _network.OutputSize);

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
