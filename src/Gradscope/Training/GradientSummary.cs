namespace Gradscope.Training;

/// <summary>
/// The complete gradient of a step, before the update: its global norm ‖g‖ over every layer's W, b (and γ),
/// taken before clipping, and whether clipping changed it. Measured only when clipping is on.
/// </summary>
/// <param name="Clipping">Whether clipping is on (otherwise the norm is not measured and is NaN).</param>
public readonly record struct GradientSummary(bool Clipping, double GlobalNorm, bool Clipped);
