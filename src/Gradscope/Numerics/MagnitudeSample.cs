namespace Gradscope.Numerics;

/// <summary>
/// One observed log-magnitude y = log₁₀|g| of weight <paramref name="Weight"/> of layer <paramref name="Layer"/> at
/// step <paramref name="Step"/>; several samples of the same (layer, step, weight) are repeated draws (mini-batches).
/// </summary>
public readonly record struct MagnitudeSample(int Layer, int Step, int Weight, double Log);
