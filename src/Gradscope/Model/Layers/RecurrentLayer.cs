using System.Numerics;
using System.Numerics.Tensors;
using Gradscope.Numerics;

namespace Gradscope.Model.Layers;

/// <summary>
/// A recurrent layer over sequences of τ steps, PyTorch's equations and parameter layout: gates
/// g_t = W_ih x_t + b_ih + W_hh h_{t−1} + b_hh (G blocks of H rows: RNN 1, LSTM [i|f|g|o], GRU [r|z|n]), h_0 = 0.
/// The cell's element-wise step is in <see cref="RnnCell"/>, <see cref="LstmCell"/>, <see cref="GruCell"/>.
/// Backward is back-propagation through time: from step τ down to 1 each step forms ∂C/∂h_t (from the layer above
/// and from step t + 1), the gates' gradient, and hands ∂C/∂h_{t−1} = W_hhᵀ ∂C/∂g_t (plus the cell's direct paths)
/// to the step before; the weight gradients are then one product over all steps,
/// ∂C/∂W_hh = (1/m) Σ_t (∂C/∂g_t)ᵀ h_{t−1}, ∂C/∂W_ih = (1/m) Σ_t (∂C/∂g_t)ᵀ x_t.
/// </summary>
/// <remarks>
/// Input: the data's [examples × τ × inputs] for the first layer, or the time-major sequence of the recurrent
/// layer below. Output (<see cref="RecurrentOutput"/>): the last hidden state h_τ [examples × H] for the top layer,
/// all of h_1…h_τ time-major for a layer below another, or example-major [examples × τ × H] for a read-out at every
/// step, in the order of the targets [N, τ, O]. Truncated BPTT (k &gt; 0) stops the gradient at the start of each block of k steps
/// counted back from τ.
/// </remarks>
public sealed class RecurrentLayer<T> : ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public RecurrentLayer(int index, RecurrentCellKind cell, int fanIn, int hidden, int steps, Activation activation,
        bool sequenceInput, RecurrentOutput output, int bptt = 0)
    {
        ArgumentNullException.ThrowIfNull(activation);
        if (fanIn < 1 || hidden < 1 || steps < 1)
            throw new ArgumentException($"Recurrent layer {index}: invalid sizes (inputs {fanIn}, hidden {hidden}, steps {steps}).");
        if (bptt < 0) throw new ArgumentOutOfRangeException(nameof(bptt), bptt, "Truncation must be 0 (full) or positive.");
        Index = index;
        Cell = cell;
        FanIn = fanIn;
        FanOut = hidden;
        TimeSteps = steps;
        Activation = activation;
        SequenceInput = sequenceInput;
        Output = output;
        Bptt = bptt;
        GateWidth = (int)cell * hidden;
        InputWeights = new Parameter<T>($"W_ih^{index}", ParameterRole.Weight, index, GateWidth, fanIn);
        RecurrentWeights = new Parameter<T>($"W_hh^{index}", ParameterRole.Recurrent, index, GateWidth, hidden) { Slot = 1 };
        InputBiases = new Parameter<T>($"b_ih^{index}", ParameterRole.Bias, index, GateWidth, 1) { Slot = 2 };
        RecurrentBiases = new Parameter<T>($"b_hh^{index}", ParameterRole.Bias, index, GateWidth, 1) { Slot = 3 };
        Parameters = [InputWeights, RecurrentWeights, InputBiases, RecurrentBiases];
    }

    public int Index { get; }
    public RecurrentCellKind Cell { get; }
    public int FanIn { get; }

    /// <summary>H, the width of h_t.</summary>
    public int FanOut { get; }
    public int TimeSteps { get; }
    public Activation Activation { get; }
    public bool SequenceInput { get; }
    public RecurrentOutput Output { get; }

    /// <summary>Whether the layer hands on every step's h_t (to a layer above or a read-out at every step).</summary>
    public bool SequenceOutput => Output != RecurrentOutput.LastStep;
    public int Bptt { get; }

    /// <summary>G·H, the rows of W_ih and W_hh.</summary>
    public int GateWidth { get; }
    public int InputWidth => TimeSteps * FanIn;
    public int OutputWidth => SequenceOutput ? TimeSteps * FanOut : FanOut;

    public Parameter<T> InputWeights { get; }
    public Parameter<T> RecurrentWeights { get; }
    public Parameter<T> InputBiases { get; }
    public Parameter<T> RecurrentBiases { get; }
    public IReadOnlyList<Parameter<T>> Parameters { get; }
    public IReadOnlyList<T[]> State => [];

    public LayerBuffers<T> CreateBuffers(int capacity) => new RecurrentBuffers<T>(this, capacity);

    public void Forward(ReadOnlySpan<T> input, LayerBuffers<T> buffers, in PassContext pass)
    {
        var b = (RecurrentBuffers<T>)buffers;
        int m = pass.Count, steps = TimeSteps, h = FanOut, gh = GateWidth, rows = steps * m;
        Span<T> x = b.Inputs.AsSpan(0, rows * FanIn);
        if (SequenceInput) input[..x.Length].CopyTo(x);
        else TimeMajor(input, x, m);

        // Every step's input term at once: one product over τ·m rows instead of τ small ones.
        Span<T> gates = b.Gates.AsSpan(0, rows * gh);
        Gemm.Multiply(false, true, rows, gh, FanIn, T.One, x, FanIn, InputWeights.Values, FanIn, T.Zero, gates, gh, pass.Pool);
        bool gru = Cell == RecurrentCellKind.Gru;
        for (int r = 0; r < rows; r++)
        {
            Span<T> row = gates.Slice(r * gh, gh);
            TensorPrimitives.Add(row, InputBiases.Values, row);
            // The GRU's b_hh sits inside r ⊙ (W_hn h + b_hn), so it is added with the recurrent term.
            if (!gru) TensorPrimitives.Add(row, RecurrentBiases.Values, row);
        }

        b.Hidden.AsSpan(0, m * h).Clear();
        if (Cell == RecurrentCellKind.Lstm) b.Cell.AsSpan(0, m * h).Clear();
        // W_hhᵀ is packed once for the τ products below (the weights may have changed since the last pass).
        var packed = b.PackedRecurrent;
        packed.Invalidate();
        for (int t = 1; t <= steps; t++)
        {
            ReadOnlySpan<T> previous = b.Hidden.AsSpan((t - 1) * m * h, m * h);
            Span<T> g = RecurrentBuffers<T>.Step(b.Gates, t, m, gh);
            switch (Cell)
            {
                case RecurrentCellKind.Rnn:
                    Gemm.Multiply(false, true, m, gh, h, T.One, previous, h, RecurrentWeights.Values, h, T.One, g, gh, pass.Pool, packed);
                    RnnCell.Forward(this, b, t, m);
                    break;
                case RecurrentCellKind.Lstm:
                    Gemm.Multiply(false, true, m, gh, h, T.One, previous, h, RecurrentWeights.Values, h, T.One, g, gh, pass.Pool, packed);
                    LstmCell.Forward(b, t, m, h);
                    break;
                default:
                    Span<T> recurrent = b.Scratch.AsSpan(0, m * gh);
                    Gemm.Multiply(false, true, m, gh, h, T.One, previous, h, RecurrentWeights.Values, h, T.Zero, recurrent, gh, pass.Pool, packed);
                    GruCell.Forward(b, RecurrentBiases.Values, t, m, h);
                    break;
            }
        }
        switch (Output)
        {
            case RecurrentOutput.TimeMajor: b.Hidden.AsSpan(m * h, rows * h).CopyTo(b.A); break;
            case RecurrentOutput.ExampleMajor:
                for (int t = 1; t <= steps; t++)
                    for (int e = 0; e < m; e++)
                        b.Hidden.AsSpan((t * m + e) * h, h).CopyTo(b.A.AsSpan((e * steps + t - 1) * h, h));
                break;
            default: b.Hidden.AsSpan(steps * m * h, m * h).CopyTo(b.A); break;
        }
    }

    public void Backward(ReadOnlySpan<T> input, LayerBuffers<T> buffers, Span<T> inputGradient, in PassContext pass)
    {
        var b = (RecurrentBuffers<T>)buffers;
        int m = pass.Count, steps = TimeSteps, h = FanOut, gh = GateWidth, rows = steps * m;
        Span<T> carry = b.Carry.AsSpan(0, m * h);
        carry.Clear();
        if (Cell == RecurrentCellKind.Lstm) b.CellCarry.AsSpan(0, m * h).Clear();
        var packed = b.PackedRecurrent; // now W_hh itself, packed once for the τ products
        packed.Invalidate();
        for (int t = steps; t >= 1; t--)
        {
            // ∂C/∂h_t = what the layer above sends for step t + what step t + 1 sent back.
            Span<T> dh = RecurrentBuffers<T>.Step(b.HiddenGradient, t, m, h);
            if (Output == RecurrentOutput.TimeMajor) TensorPrimitives.Add(RecurrentBuffers<T>.Step(b.ActivationGradient, t, m, h), carry, dh);
            else if (Output == RecurrentOutput.ExampleMajor)
                for (int e = 0; e < m; e++)
                    TensorPrimitives.Add(b.ActivationGradient.AsSpan((e * steps + t - 1) * h, h), carry.Slice(e * h, h), dh.Slice(e * h, h));
            else if (t == steps) TensorPrimitives.Add(b.ActivationGradient.AsSpan(0, m * h), carry, dh);
            else carry.CopyTo(dh);

            bool cut = t == 1 || (Bptt > 0 && !pass.Exact && (steps - t + 1) % Bptt == 0);
            switch (Cell)
            {
                case RecurrentCellKind.Rnn: RnnCell.Backward(b, t, m, h); break;
                case RecurrentCellKind.Lstm: LstmCell.Backward(b, t, m, h, cut); break;
                default: GruCell.Backward(b, t, m, h, cut); break;
            }
            if (cut)
            {
                carry.Clear();
                continue;
            }
            // ∂C/∂h_{t−1} through the recurrent weights: (∂C/∂g_t) W_hh, on top of the cell's direct path (GRU).
            T beta = Cell == RecurrentCellKind.Gru ? T.One : T.Zero;
            Gemm.Multiply(false, false, m, h, gh, T.One, RecurrentBuffers<T>.Step(b.GateDelta, t, m, gh), gh,
                RecurrentWeights.Values, h, beta, carry, h, pass.Pool, packed);
        }

        T mean = T.One / T.CreateChecked(m);
        ReadOnlySpan<T> dgi = b.InputGateDelta.AsSpan(0, rows * gh), dgh = b.GateDelta.AsSpan(0, rows * gh);
        Gemm.Multiply(true, false, gh, FanIn, rows, mean, dgi, gh, b.Inputs.AsSpan(0, rows * FanIn), FanIn, T.Zero, b.Gradients[0], FanIn, pass.Pool);
        Gemm.Multiply(true, false, gh, h, rows, mean, dgh, gh, b.Hidden.AsSpan(0, rows * h), h, T.Zero, b.Gradients[1], h, pass.Pool);
        SumRows(dgi, b.Gradients[2], rows, mean);
        SumRows(dgh, b.Gradients[3], rows, mean);
        if (inputGradient.IsEmpty) return;
        // ∂C/∂x in the layout of the input: time-major for the layer below, which wrote h_t so; example-major
        // [examples × τ × inputs] for the data (an input Jacobian reads row e as example e). Step t's m rows land τ·inputs apart.
        if (SequenceInput)
            Gemm.Multiply(false, false, rows, FanIn, gh, T.One, dgi, gh, InputWeights.Values, FanIn, T.Zero, inputGradient[..(rows * FanIn)], FanIn, pass.Pool);
        else
            for (int t = 1; t <= steps; t++)
                Gemm.Multiply(false, false, m, FanIn, gh, T.One, RecurrentBuffers<T>.Step(b.InputGateDelta, t, m, gh), gh, InputWeights.Values, FanIn,
                    T.Zero, inputGradient[((t - 1) * FanIn)..(rows * FanIn)], steps * FanIn, pass.Pool);
    }

    /// <summary>(1/m) Σ over rows, summed in row order so every thread count gives the same bits.</summary>
    private static void SumRows(ReadOnlySpan<T> matrix, Span<T> sum, int rows, T mean)
    {
        int width = sum.Length;
        matrix[..width].CopyTo(sum);
        for (int r = 1; r < rows; r++) TensorPrimitives.Add(sum, matrix.Slice(r * width, width), sum);
        TensorPrimitives.Multiply(sum, mean, sum);
    }

    /// <summary>[examples × τ × inputs] → [τ × examples × inputs].</summary>
    private void TimeMajor(ReadOnlySpan<T> input, Span<T> x, int m)
    {
        int steps = TimeSteps, n = FanIn;
        for (int e = 0; e < m; e++)
            for (int t = 0; t < steps; t++)
                input.Slice((e * steps + t) * n, n).CopyTo(x.Slice((t * m + e) * n, n));
    }
}
