namespace Gradscope.Training;

/// <summary>
/// Squared norms an optimiser measured while it updated one layer, in the same pass over the weights: ‖∂C/∂W‖²
/// (the gradient it was given), ‖W‖² before the step, and ‖ΔW‖². Probes read these instead of making passes of
/// their own over the largest arrays of the step.
/// </summary>
public readonly record struct UpdateNorms(double GradientSquares, double WeightSquares, double UpdateSquares);
