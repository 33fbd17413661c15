namespace Gradscope.Training;

/// <summary>Hyper-parameters of mini-batch training. <see cref="Validate"/> names the first bad value.</summary>
public sealed record TrainingOptions
{
    /// <summary>Learning rate η.</summary>
    public double Eta { get; init; } = 0.1;

    /// <summary>Mini-batch size m.</summary>
    public int BatchSize { get; init; } = 10;

    /// <summary>L2 regularisation λ in Nielsen's form: each step scales W by (1 − ηλ/n), n the training-set size.</summary>
    public double Lambda { get; init; }

    public int Epochs { get; init; } = 1;

    /// <summary>Seed of the shuffles (weights take the network's seed).</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Threads for the matrix kernels; results are bit-identical for any count.</summary>
    public int Threads { get; init; } = 1;

    public void Validate()
    {
        if (!double.IsFinite(Eta) || Eta <= 0) throw new ArgumentException($"Invalid learning rate: {Eta} (must be a positive finite number).");
        if (BatchSize < 1) throw new ArgumentException($"Invalid mini-batch size: {BatchSize} (must be at least 1).");
        if (!double.IsFinite(Lambda) || Lambda < 0) throw new ArgumentException($"Invalid L2 regularisation λ: {Lambda} (must be finite and ≥ 0).");
        if (Epochs < 0) throw new ArgumentException($"Invalid epoch count: {Epochs} (must be ≥ 0).");
        if (Threads < 1) throw new ArgumentException($"Invalid thread count: {Threads} (must be at least 1).");
    }
}
