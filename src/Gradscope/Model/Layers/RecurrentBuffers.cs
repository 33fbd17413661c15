using System.Numerics;
using Gradscope.Observation;

namespace Gradscope.Model.Layers;

/// <summary>
/// What a recurrent layer keeps of one pass, every tensor time-major [τ × examples × width] so that step t of the
/// batch is one contiguous block (the recurrent product of a step is one matrix product, and a view of step t
/// needs no copy). The base buffers' A holds the layer's output as the layer above reads it and
/// ActivationGradient what that layer sends back.
/// </summary>
public sealed class RecurrentBuffers<T> : LayerBuffers<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly RecurrentLayer<T> _layer;

    internal RecurrentBuffers(RecurrentLayer<T> layer, int capacity) : base(layer, capacity, layer.OutputWidth)
    {
        HasSteps = true;
        _layer = layer;
        int steps = layer.TimeSteps, h = layer.FanOut, gh = layer.GateWidth, n = steps * capacity;
        bool lstm = layer.Cell == RecurrentCellKind.Lstm, gru = layer.Cell == RecurrentCellKind.Gru;
        Inputs = new T[n * layer.FanIn];
        Hidden = new T[(steps + 1) * capacity * h];
        Gates = new T[n * gh];
        PreActivation = gru ? new T[n * h] : [];
        Derivative = new T[n * h];
        HiddenGradient = new T[n * h];
        GateDelta = new T[n * gh];
        InputGateDelta = gru ? new T[n * gh] : GateDelta;
        StepDelta = layer.Cell == RecurrentCellKind.Rnn ? GateDelta : new T[n * h];
        Cell = lstm ? new T[(steps + 1) * capacity * h] : [];
        TanhCell = lstm ? new T[n * h] : [];
        RecurrentN = gru ? new T[n * h] : [];
        Carry = new T[capacity * h];
        CellCarry = lstm ? new T[capacity * h] : [];
        Scratch = new T[capacity * gh];
    }

    /// <summary>W_hh in the GEMM's packed layout, shared by the forward (W_hhᵀ) and backward (W_hh) products of a pass.</summary>
    internal Numerics.PackedOperand<T> PackedRecurrent { get; } = new();

    /// <summary>x_t (the input, time-major).</summary>
    internal T[] Inputs { get; }

    /// <summary>h_t for t = 0…τ (h_0 = 0).</summary>
    internal T[] Hidden { get; }

    /// <summary>The gates' pre-activations, turned in place into their activations (RNN: z_t).</summary>
    internal T[] Gates { get; }

    /// <summary>The GRU's candidate pre-activation W_in x_t + b_in + r_t ⊙ (W_hn h_{t−1} + b_hn), its view's z_t.</summary>
    internal T[] PreActivation { get; }

    /// <summary>∂h_t/∂z_t along the view's z: σ'(z_t); LSTM o_t ⊙ tanh'(c_t); GRU (1 − z_t) ⊙ tanh'(n_t's pre-activation).</summary>
    internal T[] Derivative { get; }

    /// <summary>∂C/∂h_t, from the layer above and from step t + 1.</summary>
    internal T[] HiddenGradient { get; }

    /// <summary>∂C/∂(W_hh h_{t−1} + b_hh).</summary>
    internal T[] GateDelta { get; }

    /// <summary>∂C/∂(W_ih x_t + b_ih) (the same array as <see cref="GateDelta"/> except for the GRU).</summary>
    internal T[] InputGateDelta { get; }

    /// <summary>δ_t = ∂C/∂z_t along the view's z (RNN δ_t, LSTM ∂C/∂c_t, GRU ∂C/∂n_t's pre-activation).</summary>
    internal T[] StepDelta { get; }

    /// <summary>LSTM c_t for t = 0…τ and tanh(c_t).</summary>
    internal T[] Cell { get; }
    internal T[] TanhCell { get; }

    /// <summary>GRU W_hn h_{t−1} + b_hn, kept for the reset gate's gradient.</summary>
    internal T[] RecurrentN { get; }

    /// <summary>What step t hands back to step t − 1: ∂C/∂h_{t−1} (and the LSTM's ∂C/∂c_{t−1}) through the recurrence.</summary>
    internal T[] Carry { get; }
    internal T[] CellCarry { get; }
    internal T[] Scratch { get; }

    /// <summary>Block t (1-based) of a time-major tensor with <paramref name="width"/> values per example.</summary>
    internal static Span<T> Step(T[] tensor, int t, int count, int width) => tensor.AsSpan((t - 1) * count * width, count * width);

    public override ReadOnlySpan<T> AtStep(LayerTensor tensor, int count, int time)
    {
        int h = _layer.FanOut, gh = _layer.GateWidth;
        bool lstm = _layer.Cell == RecurrentCellKind.Lstm;
        if (time < 1 || time > _layer.TimeSteps) throw new ArgumentOutOfRangeException(nameof(time), time, $"Time step must be in [1, {_layer.TimeSteps}].");
        return tensor switch
        {
            LayerTensor.Input => Step(Inputs, time, count, _layer.FanIn),
            LayerTensor.A => Hidden.AsSpan(time * count * h, count * h),
            LayerTensor.Z => _layer.Cell switch
            {
                RecurrentCellKind.Lstm => Cell.AsSpan(time * count * h, count * h),
                RecurrentCellKind.Gru => Step(PreActivation, time, count, h),
                _ => Step(Gates, time, count, h),
            },
            LayerTensor.SigmaPrime => Step(Derivative, time, count, h),
            LayerTensor.Delta => Step(StepDelta, time, count, h),
            LayerTensor.ActivationGradient => Step(HiddenGradient, time, count, h),
            LayerTensor.Gates => _layer.Cell == RecurrentCellKind.Rnn ? default : Step(Gates, time, count, gh),
            LayerTensor.GateDelta => Step(GateDelta, time, count, gh),
            LayerTensor.CellState => lstm ? Cell.AsSpan(time * count * h, count * h) : default,
            LayerTensor.CellGradient => lstm ? Step(StepDelta, time, count, h) : default,
            _ => default,
        };
    }
}
