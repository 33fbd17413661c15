namespace Gradscope.Numerics;

/// <summary>
/// The variance of log₁₀ magnitudes (decades²) split by <see cref="VarianceDecomposition"/>:
/// <c>Total = BetweenLayers + BetweenSteps + WithinLayer + Noise</c> exactly.
/// </summary>
/// <param name="BetweenLayers">Variance of the layer means: depth (the vanishing/exploding product).</param>
/// <param name="BetweenSteps">Variance of the per-(layer, step) means about their layer's mean: change during learning.</param>
/// <param name="WithinLayer">Variance between weights of one layer at one step (cell means about the (layer, step) mean).</param>
/// <param name="Noise">Variance between repeated draws (mini-batches) of one weight at one step: SGD noise.</param>
/// <param name="Count">Observations used.</param>
public sealed record VarianceComponents(double BetweenLayers, double BetweenSteps, double WithinLayer, double Noise, long Count)
{
    public double Total => BetweenLayers + BetweenSteps + WithinLayer + Noise;

    public static VarianceComponents Empty { get; } = new(0, 0, 0, 0, 0);
}
