using System.Numerics;
using System.Numerics.Tensors;

namespace Gradscope.Model.Layers;

/// <summary>
/// A skip connection around a layer whose fan-in equals its fan-out: a^l = f(a^{l−1}) + a^{l−1} (He et al. 2016),
/// so ∂C/∂a^{l−1} = (∂f/∂a^{l−1})ᵀ ∂C/∂a^l + ∂C/∂a^l. The inner layer keeps its index, parameters and buffers;
/// z^l and δ^l stay the inner layer's, and a^l in the buffers includes the skip.
/// </summary>
public sealed class ResidualBlock<T> : ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public ResidualBlock(ILayer<T> inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        if (inner.FanIn != inner.FanOut)
            throw new ArgumentException($"A residual block needs equal fan-in and fan-out; layer {inner.Index} is {inner.FanIn}→{inner.FanOut}.");
        Inner = inner;
    }

    public ILayer<T> Inner { get; }
    public int Index => Inner.Index;
    public int FanIn => Inner.FanIn;
    public int FanOut => Inner.FanOut;
    public Activation Activation => Inner.Activation;
    public IReadOnlyList<Parameter<T>> Parameters => Inner.Parameters;
    public IReadOnlyList<T[]> State => Inner.State;

    public LayerBuffers<T> CreateBuffers(int capacity) => Inner.CreateBuffers(capacity);

    public void Forward(ReadOnlySpan<T> input, LayerBuffers<T> buffers, in PassContext pass)
    {
        Inner.Forward(input, buffers, pass);
        Span<T> a = buffers.A.AsSpan(0, pass.Count * FanOut);
        TensorPrimitives.Add(a, input, a);
    }

    public void Backward(ReadOnlySpan<T> input, LayerBuffers<T> buffers, Span<T> inputGradient, in PassContext pass)
    {
        Inner.Backward(input, buffers, inputGradient, pass);
        if (!inputGradient.IsEmpty) TensorPrimitives.Add(inputGradient, buffers.ActivationGradient.AsSpan(0, inputGradient.Length), inputGradient);
    }
}
