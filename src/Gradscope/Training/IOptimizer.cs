using System.Numerics;
using Gradscope.Model;

namespace Gradscope.Training;

/// <summary>Turns a parameter's mean gradient into an update. State (momenta) lives in the optimiser, per parameter.</summary>
public interface IOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    string Name { get; }

    /// <summary>
    /// Called once per step after the gradient is final (clipped) and before the first <see cref="Update"/>, for
    /// optimisers that precondition across parameters (K-FAC couples W^l and b^l).
    /// </summary>
    void BeginUpdate(in StepInfo step, Workspace<T> gradients) { }

    /// <summary>θ ← θ − (the rule's step), with η and Nielsen's λ/n for this parameter in <paramref name="context"/>.</summary>
    void Update(Parameter<T> parameter, ReadOnlySpan<T> gradient, in UpdateContext context);
}
