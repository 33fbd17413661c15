namespace Gradscope.Training;

/// <summary>
/// Squared norms an optimiser measured while it updated one layer, in the same pass over the weights: ‖∂C/∂W‖²
/// (the gradient it was given), ‖W‖² before the step, and ‖ΔW‖². Probes read these instead of making passes of
/// their own over the largest arrays of the step. A norm that was not asked for may be NaN.
/// </summary>
public readonly record struct UpdateNorms(double GradientSquares, double WeightSquares, double UpdateSquares);

/// <summary>Which of the <see cref="UpdateNorms"/> an observer wants on this step; each costs the update pass more arithmetic.</summary>
[Flags]
public enum UpdateNormKinds
{
    None = 0,
    Gradient = 1,
    Weights = 2,
    Change = 4,
}
