using System.Numerics;
using System.Numerics.Tensors;
using Gradscope.Numerics;

namespace Gradscope.Model.Layers;

/// <summary>
/// The read-out at every time step of a sequence-labelling net: z_{x,t} = W h_{x,t} + b, a_{x,t} = σ(z_{x,t}) for
/// t = 1…τ, one W and b for all steps (PyTorch's <c>Linear</c> applied to the whole output sequence). Its rows are the
/// positions (x, t), example-major like the targets [N, τ, O], so softmax is taken per step. The cost of an example
/// sums its steps, C_x = Σ_t C_{x,t}, as a cost sums its outputs, so δ_{x,t} = ∂C_x/∂z_{x,t} is what the cost gives
/// and ∂C/∂W = (1/m) Σ_x Σ_t δ_{x,t} h_{x,t}ᵀ, ∂C/∂b = (1/m) Σ_x Σ_t δ_{x,t}, ∂C/∂h_{x,t} = Wᵀ δ_{x,t}.
/// </summary>
public sealed class StepReadoutLayer<T> : ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public StepReadoutLayer(int index, int fanIn, int fanOut, int steps, Activation activation)
    {
        ArgumentNullException.ThrowIfNull(activation);
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "A read-out at every step needs at least one step.");
        Index = index;
        FanIn = fanIn;
        FanOut = fanOut;
        Steps = steps;
        Activation = activation;
        // The dense layer's names and slots, so models save, load and export alike.
        Weights = new Parameter<T>($"W^{index}", ParameterRole.Weight, index, fanOut, fanIn);
        Biases = new Parameter<T>($"b^{index}", ParameterRole.Bias, index, fanOut, 1) { Slot = 1 };
        Parameters = [Weights, Biases];
    }

    public int Index { get; }
    public int FanIn { get; }
    public int FanOut { get; }

    /// <summary>τ, the steps read out.</summary>
    public int Steps { get; }
    public Activation Activation { get; }
    public Parameter<T> Weights { get; }
    public Parameter<T> Biases { get; }
    public IReadOnlyList<Parameter<T>> Parameters { get; }
    public IReadOnlyList<T[]> State => [];
    public int RowsPerExample => Steps;
    public int InputWidth => Steps * FanIn;
    public int OutputWidth => Steps * FanOut;

    /// <summary>Buffers of one row per position: the base buffers for τ times as many rows.</summary>
    public LayerBuffers<T> CreateBuffers(int capacity) => new(this, capacity * Steps);

    public void Forward(ReadOnlySpan<T> input, LayerBuffers<T> buffers, in PassContext pass)
    {
        var rows = pass with { Count = pass.Count * Steps };
        int n = rows.Count * FanOut;
        Span<T> z = buffers.Z.AsSpan(0, n);
        DenseProduct.Forward(input, Weights.Values, z, FanIn, FanOut, rows);
        DenseProduct.AddBias<T>(z, Biases.Values, rows.Count);
        Activation.ForwardRows<T>(z, buffers.A.AsSpan(0, n), buffers.SigmaPrime.AsSpan(0, n), FanOut);
    }

    public void Backward(ReadOnlySpan<T> input, LayerBuffers<T> buffers, Span<T> inputGradient, in PassContext pass)
    {
        var rows = pass with { Count = pass.Count * Steps };
        if (!pass.DeltaGiven) buffers.FormDelta(rows);
        ReadOnlySpan<T> delta = buffers.Delta.AsSpan(0, rows.Count * FanOut);
        // A mean over the m examples, not over the m·τ rows: each example's cost sums its steps.
        T mean = T.One / T.CreateChecked(pass.Count);
        Gemm.Multiply(true, false, FanOut, FanIn, rows.Count, mean, delta, FanOut, input, FanIn, T.Zero, buffers.Gradients[0], FanIn, pass.Pool);
        Span<T> nablaB = buffers.Gradients[1];
        delta[..FanOut].CopyTo(nablaB);
        for (int r = 1; r < rows.Count; r++) TensorPrimitives.Add(nablaB, delta.Slice(r * FanOut, FanOut), nablaB);
        TensorPrimitives.Multiply(nablaB, mean, nablaB);
        if (!inputGradient.IsEmpty) DenseProduct.InputGradient<T>(delta, Weights.Values, inputGradient, FanIn, FanOut, rows);
    }
}
