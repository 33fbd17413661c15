using System.Numerics;
using Gradscope.Model;

namespace Gradscope.Training;

/// <summary>
/// A capability an optimiser may offer: the same update as <see cref="IOptimizer{T}.Update"/>, bit for bit, that
/// also sums ‖∂C/∂θ‖², ‖θ‖² (before the step) and ‖Δθ‖² in its single pass over the parameter, so observers that
/// declared update-norm needs pay no pass of their own over the largest arrays of the step.
/// </summary>
public interface IMeasuredUpdate<T> : IOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Updates and returns the norms <paramref name="kinds"/> asks for (the others may be NaN).</summary>
    UpdateNorms UpdateMeasured(Parameter<T> parameter, ReadOnlySpan<T> gradient, in UpdateContext context, UpdateNormKinds kinds);
}
