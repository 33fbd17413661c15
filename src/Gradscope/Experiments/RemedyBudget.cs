namespace Gradscope.Experiments;

/// <summary>How much training each remedy gets in <see cref="Remedies.Run"/>, and which nets and remedies run.</summary>
public sealed record RemedyBudget
{
    /// <summary>Passes over the training data per run.</summary>
    public int Epochs { get; init; } = 1;

    public int BatchSize { get; init; } = 10;

    /// <summary>Also run the 10-hidden-layer net [784, 30×10, 10] (the 4-hidden-layer one always runs).</summary>
    public bool Deep { get; init; } = true;

    /// <summary>Remedy names to run (any of <see cref="RemedyRegistry.Names"/>), or null for the tuned ones (<see cref="RemedyRegistry.Tuned"/>).</summary>
    public IReadOnlyList<string>? Only { get; init; }

    /// <summary>Seed of every run's weights and shuffles: all remedies start from the same draw where the spec allows.</summary>
    public ulong Seed { get; init; } = 1;

    public void Validate()
    {
        if (Epochs < 1) throw new ArgumentException($"Invalid remedy budget: {Epochs} epochs (must be at least 1).");
        if (BatchSize < 1) throw new ArgumentException($"Invalid remedy budget: batch size {BatchSize} (must be at least 1).");
        foreach (var name in Only ?? [])
            if (!RemedyRegistry.Contains(name))
                throw new ArgumentException($"Unknown remedy '{name}'. Valid: {string.Join(", ", RemedyRegistry.Names)}.");
    }
}
