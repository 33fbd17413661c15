namespace Gradscope.Training;

/// <summary>
/// Squared norms an optimiser measured while it updated one parameter, in the same pass: ‖∂C/∂θ‖² (the gradient it
/// was given), ‖θ‖² before the step, and ‖Δθ‖². A norm that was not asked for may be NaN.
/// </summary>
public readonly record struct UpdateNorms(double GradientSquares, double WeightSquares, double UpdateSquares)
{
    /// <summary>Nothing measured.</summary>
    public static UpdateNorms NotMeasured => new(double.NaN, double.NaN, double.NaN);
}

/// <summary>Which of the <see cref="UpdateNorms"/> are wanted; each costs the update pass more arithmetic.</summary>
[Flags]
public enum UpdateNormKinds
{
    None = 0,
    Gradient = 1,
    Weights = 2,
    Change = 4,
}
