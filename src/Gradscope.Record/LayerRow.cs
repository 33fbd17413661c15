namespace Gradscope.Record;

/// <summary>
/// One row of every per-layer table (terminal, HTML, CSV): the speed of learning at init and at end, and the
/// typical value over the run (<see cref="RunView.Typical"/>) of ‖δ^l‖, the backward gain, its weight factor and
/// activation (σ') factor, and the saturated and dead shares. NaN where the run did not measure a quantity.
/// </summary>
public sealed record LayerRow(int Layer, string Name, int Units, string Activation, double SpeedAtInit, double SpeedAtEnd,
    double DeltaNorm, double Gain, double WeightFactor, double ActivationFactor, double Saturated, double Dead)
{
    /// <summary>What the columns after the speeds show, for table captions.</summary>
    public const string TypicalLabel = "‖δ‖, gain, factors, σ' ≈ 0 and dead: typical over the run (geometric mean of every measurement)";

    /// <summary>What the σ' ≈ 0 column's words mean, for table captions.</summary>
    public const string SaturationLabel =
        "σ' ≈ 0: saturated = σ' below 1% of its maximum; inactive = z < 0 in a ReLU-family layer (σ' = 0 there by design, not saturation); " +
        "dead = silent on every one of the last 1,000 examples measured";

    /// <summary><see cref="RunView.SaturationKind"/>: "saturated", or "inactive" (z &lt; 0) for a piecewise-linear layer.</summary>
    public string SaturationKind { get; init; } = "saturated";

    /// <summary>Whether the σ' ≈ 0 share is worth a reader's attention (<see cref="RunView.SaturationFlagged"/>).</summary>
    public bool SaturationFlagged { get; init; }

    /// <summary>Whether the dead share is (<see cref="RunView.DeadFlagged"/>).</summary>
    public bool DeadFlagged { get; init; }

    /// <summary>The σ' ≈ 0 cell as every table prints it: "62.1% inactive", "3% saturated", "–" when not measured.</summary>
    public string SaturationText => double.IsNaN(Saturated) ? "–" : $"{Numbers.Percent(Saturated)} {SaturationKind}";
}
