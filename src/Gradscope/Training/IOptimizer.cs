using System.Numerics;
using Gradscope.Model;

namespace Gradscope.Training;

/// <summary>What an optimiser needs to know about the current step.</summary>
/// <param name="Step">0-based step index.</param>
/// <param name="LearningRate">η for this step.</param>
/// <param name="WeightDecay">The L2 coefficient λ/n (Nielsen's form), applied to weights only.</param>
public readonly record struct UpdateContext(long Step, double LearningRate, double WeightDecay);

/// <summary>Turns a layer's mean gradients into a parameter update. State (momenta) lives in the optimiser.</summary>
public interface IOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    string Name { get; }

    void Update(DenseLayer<T> layer, ReadOnlySpan<T> weightGradient, ReadOnlySpan<T> biasGradient, in UpdateContext context);
}
