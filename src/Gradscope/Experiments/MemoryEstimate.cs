using Gradscope.Model;

namespace Gradscope.Experiments;

/// <summary>
/// The memory a run needs, estimated from its spec before anything is allocated: parameters (values, the
/// gradients beside them, the probes' copies), the optimiser's state, the workspace of one batch (z, a, σ', δ and ∂C/∂a per unit and
/// example, plus the evaluation and reference-set passes) and the data. Sizes are summed in checked 64-bit
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
        long parameters = 0, units = 0, factors = 0;
        for (int l = 1; l < sizes.Length; l++)
        {
            long inputs = sizes[l - 1], outputs = sizes[l];
            parameters = Add(parameters, Multiply(Add(inputs, normalized ? 2 : 1), outputs));
            units = Add(units, outputs);
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
        // Per example: the input and target rows, and five tensors per unit (seven with normalisation).
        long perExample = Add(Add(sizes[0], sizes[^1]), Multiply(units, normalized ? 7 : 5));
        long reference = Math.Min(Math.Max(0, spec.Probes.ReferenceSize), train);
        long rows = Add(Add(batch, Math.Min(500, train)), reference);
        long workspace = Multiply(Multiply(rows, perExample), scalar);
        // Data are stored as float32, and converted once more for a float64 run.
        long examples = Add(train, Math.Max(0, spec.Data.Test));
        long data = Multiply(Multiply(examples, Add(sizes[0], sizes[^1])), scalar == 8 ? 12 : 4);
        return new MemoryEstimate(parameterBytes, optimizer, workspace, data);
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
