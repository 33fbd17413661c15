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
    public const string TypicalLabel = "‖δ‖, gain, factors, saturated and dead: typical over the run (geometric mean of every measurement)";
}
