using System.Numerics;

namespace Gradscope.Model.Layers;

/// <summary>
/// Nielsen's weight layer l: z^l = W^l a^{l−1} + b^l, a^l = σ(z^l). W^l is row-major [FanOut × FanIn], so W_{jk}
/// connects unit k of layer l−1 to unit j of layer l. Backward: δ^l = ∂C/∂a^l ⊙ σ'(z^l),
/// ∂C/∂W^l = (1/m) Σ_x δ^l_x (a^{l−1}_x)ᵀ, ∂C/∂b^l = (1/m) Σ_x δ^l_x, ∂C/∂a^{l−1} = (W^l)ᵀ δ^l.
/// </summary>
public sealed class DenseLayer<T> : ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public DenseLayer(int index, int fanIn, int fanOut, Activation activation)
    {
        ArgumentNullException.ThrowIfNull(activation);
        Index = index;
        FanIn = fanIn;
        FanOut = fanOut;
        Activation = activation;
        Weights = new Parameter<T>($"W^{index}", ParameterRole.Weight, index, fanOut, fanIn);
        Biases = new Parameter<T>($"b^{index}", ParameterRole.Bias, index, fanOut, 1) { Slot = 1 };
        Parameters = [Weights, Biases];
    }

    public int Index { get; }
    public int FanIn { get; }
    public int FanOut { get; }
    public Activation Activation { get; }
    public Parameter<T> Weights { get; }
    public Parameter<T> Biases { get; }
    public IReadOnlyList<Parameter<T>> Parameters { get; }
    public IReadOnlyList<T[]> State => [];

    public LayerBuffers<T> CreateBuffers(int capacity) => new(this, capacity);

    public void Forward(ReadOnlySpan<T> input, LayerBuffers<T> buffers, in PassContext pass)
    {
        int n = pass.Count * FanOut;
        Span<T> z = buffers.Z.AsSpan(0, n);
        DenseProduct.Forward(input, Weights.Values, z, FanIn, FanOut, pass);
        DenseProduct.AddBias<T>(z, Biases.Values, pass.Count);
        Activation.ForwardRows<T>(z, buffers.A.AsSpan(0, n), buffers.SigmaPrime.AsSpan(0, n), FanOut);
    }

    public void Backward(ReadOnlySpan<T> input, LayerBuffers<T> buffers, Span<T> inputGradient, in PassContext pass)
    {
        if (!pass.DeltaGiven) buffers.FormDelta(pass);
        ReadOnlySpan<T> delta = buffers.Delta.AsSpan(0, pass.Count * FanOut);
        DenseProduct.WeightGradient(delta, input, buffers.Gradients[0], FanIn, FanOut, pass);
        DenseProduct.BiasGradient(delta, buffers.Gradients[1], pass.Count);
        if (!inputGradient.IsEmpty) DenseProduct.InputGradient<T>(delta, Weights.Values, inputGradient, FanIn, FanOut, pass);
    }
}
