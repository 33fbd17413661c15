using Gradscope.Model;

namespace Gradscope.Experiments;

/// <summary>
/// The memory a run needs, estimated from its spec before anything is allocated: parameters (values, the
/// gradients beside them, the probes' copies), the optimiser's state, the workspace of one batch (z, a, σ', δ and ∂C/∂a per unit and
/// example, plus the evaluation and reference-set passes) and the data. A recurrent layer keeps every tensor of
/// back-propagation through time for each of its τ steps (inputs, h_t, the gates and their gradients), and a
/// sequence example is τ inputs wide. Sizes are summed in checked 64-bit
/// arithmetic that saturates, so a spec whose sizes overflow reads as needing more than any machine has.
/// </summary>
public sealed record MemoryEstimate(long Parameters, long OptimizerState, long Workspace, long Data)
{
    /// <summary>What the runtime itself, the probes and the record writer take besides (measured: ~60 MB for a tiny run).</summary>
    public const long Baseline = 128L << 20;

    public long Total => Add(Add(Add(Add(Parameters, OptimizerState), Workspace), Data), Baseline);

    /// <summary>The memory this process may use: physical memory or the container's limit, whichever is lower.</summary>
    public static long Available => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    public static MemoryEstimate For(ExperimentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        int[] sizes = spec.Network.Layers;
        long scalar = spec.Precision == "float64" ? 8 : 4;
        bool normalized = !string.Equals(spec.Network.Normalization?.Trim(), "none", StringComparison.OrdinalIgnoreCase)
            && !string.IsNullOrWhiteSpace(spec.Network.Normalization);
        var recurrent = spec.Network.Recurrent;
        long steps = Math.Max(1, recurrent?.Steps ?? 1);
        bool everyStep = recurrent?.EveryStep == true;
        long parameters = 0, units = 0, factors = 0, sequenceValues = 0;
        for (int l = 1; l < sizes.Length; l++)
        {
            long inputs = sizes[l - 1], outputs = sizes[l];
            if (recurrent is not null && l < sizes.Length - 1)
            {
                long gates = (long)recurrent.Kind;
                parameters = Add(parameters, Multiply(Multiply(gates, outputs), Add(inputs, outputs + 2)));
                // Hands on every h_t to the layer above or a read-out at every step, else h_τ alone.
                long outputWidth = l < sizes.Length - 2 || everyStep ? Multiply(steps, outputs) : outputs;
                sequenceValues = Add(sequenceValues, RecurrentValues(recurrent.Kind, steps, inputs, outputs, outputWidth));
                continue;
            }
            parameters = Add(parameters, Multiply(Add(inputs, normalized ? 2 : 1), outputs));
            // A read-out at every step keeps its tensors for each of the τ steps.
            units = Add(units, everyStep ? Multiply(steps, outputs) : outputs);
            factors = Add(factors, Add(Multiply(inputs + 1, inputs + 1), Multiply(outputs, outputs)));
        }
        // Measured on [784,3000,3000,10]: values, gradients, the probes' copies and the collector's headroom come to
        // ~6.3 copies of the parameters with the standard probes (4.3 with none); 7 keeps a margin.
        long parameterBytes = Multiply(Multiply(parameters, scalar), 7);
        // Elementwise optimisers keep double arrays per parameter; K-FAC keeps each factor, its damped double copy and inverse.
        long optimizer = spec.Training.Optimizer?.Trim().ToLowerInvariant() switch
        {
            "momentum" or "nesterov" or "adagrad" or "rmsprop" => Multiply(parameters, 8),
            "adam" or "adamw" or "rprop" => Multiply(parameters, 16),
            "kfac" => Add(Multiply(factors, 2 * scalar + 16), Multiply(parameters, scalar)),
            _ => 0,
        };
        long train = Math.Max(1, spec.Data.Train);
        long batch = Math.Min(Math.Max(1, spec.Training.BatchSize), train);
        // Per example: the input and target rows (τ steps of each for sequences), five tensors per unit (seven with
        // normalisation), and the recurrent layers' tensors through time.
        long inputWidth = recurrent is null ? sizes[0] : Multiply(steps, sizes[0]);
        long targetWidth = everyStep ? Multiply(steps, sizes[^1]) : sizes[^1];
        long perExample = Add(Add(Add(inputWidth, targetWidth), Multiply(units, normalized ? 7 : 5)), sequenceValues);
        long reference = Math.Min(Math.Max(0, spec.Probes.ReferenceSize), train);
        long rows = Add(Add(batch, Math.Min(500, train)), reference);
        long workspace = Multiply(Multiply(rows, perExample), scalar);
        // Data are stored as float32, and converted once more for a float64 run.
        long examples = Add(train, Math.Max(0, spec.Data.Test));
        long data = Multiply(Multiply(examples, Add(inputWidth, targetWidth)), scalar == 8 ? 12 : 4);
        return new MemoryEstimate(parameterBytes, optimizer, workspace, data);
    }

    /// <summary>
    /// Values one example takes in a recurrent layer's buffers (<see cref="Model.Layers.RecurrentBuffers{T}"/>): per
    /// step x_t, h_t, the gates and their gradient, σ', ∂C/∂h_t and the cell's own (LSTM c_t, tanh c_t, δ of c_t; GRU
    /// the candidate's pre-activation, W_hn h + b_hn, the input gates' gradient, δ of n_t), h_0 (and c_0), the
    /// carries and the scratch; and z, a, σ', δ, ∂C/∂a of the layer's output.
    /// </summary>
    internal static long RecurrentValues(RecurrentCellKind cell, long steps, long inputs, long hidden, long outputWidth)
    {
        var (perStep, once) = cell switch
        {
            RecurrentCellKind.Lstm => (14, 8), // h, 4 gates, σ', ∂C/∂h, 4 gate δ, δ_c, c, tanh c; h_0, c_0, 2 carries, 4 scratch
            RecurrentCellKind.Gru => (15, 5), // h, 3 gates, n's z, σ', ∂C/∂h, 3 + 3 gate δ, δ_n, W_hn h; h_0, carry, 3 scratch
            _ => (5, 3), // h, z, σ', ∂C/∂h, δ; h_0, carry, scratch
        };
        long values = Multiply(steps, Add(inputs, Multiply(perStep, hidden)));
        return Add(Add(values, Multiply(once, hidden)), Multiply(5, outputWidth));
    }

    /// <summary>
    /// Throws an <see cref="InsufficientMemoryException"/> saying what the run needs and what the machine has when
    /// <paramref name="runs"/> such runs at once would not fit in <paramref name="available"/> bytes.
    /// </summary>
    public void EnsureFits(long available, int runs = 1)
    {
        long total = Multiply(Total, Math.Max(1, runs));
        if (total <= available) return;
        string each = runs > 1 ? $"{runs} runs at once need ~{Gigabytes(total)}, each" : "this run needs";
        throw new InsufficientMemoryException(
            $"{each} ~{Gigabytes(Total)} (parameters {Gigabytes(Parameters)}, optimiser state {Gigabytes(OptimizerState)}, " +
            $"workspace {Gigabytes(Workspace)}, data {Gigabytes(Data)}), this machine has {Gigabytes(available)}; " +
            "make the network, batch or data smaller, or pass --ignore-memory-check to try anyway.");
    }

    public static string Gigabytes(long bytes) =>
        bytes == long.MaxValue ? "more than 9 EB" : $"{bytes / (double)(1L << 30):0.##} GB";

    private static long Add(long a, long b)
    {
        try { return checked(a + b); }
        catch (OverflowException) { return long.MaxValue; }
    }

    private static long Multiply(long a, long b)
    {
        try { return checked(a * b); }
        catch (OverflowException) { return long.MaxValue; }
    }
}
