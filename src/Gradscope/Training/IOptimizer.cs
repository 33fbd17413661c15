using System.Numerics;
using System.Numerics.Tensors;
using Gradscope.Model;

namespace Gradscope.Training;

/// <summary>What an optimiser needs to know about the current step.</summary>
/// <param name="Step">0-based step index.</param>
/// <param name="LearningRate">η for this layer's weights at this step (after layer rates, trust ratio, weight rate).</param>
/// <param name="WeightDecay">The L2 coefficient λ/n (Nielsen's form), applied to weights only.</param>
public readonly record struct UpdateContext(long Step, double LearningRate, double WeightDecay)
{
    public UpdateContext(long step, double learningRate, double weightDecay, double biasLearningRate)
        : this(step, learningRate, weightDecay) => BiasLearningRate = biasLearningRate;

    /// <summary>η for the biases and normalisation gains; equals <see cref="LearningRate"/> unless the bias rate differs.</summary>
    public double BiasLearningRate { get; init; } = LearningRate;
}

/// <summary>Turns a layer's mean gradients into a parameter update. State (momenta) lives in the optimiser.</summary>
public interface IOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    string Name { get; }

    void Update(DenseLayer<T> layer, ReadOnlySpan<T> weightGradient, ReadOnlySpan<T> biasGradient, in UpdateContext context);

    /// <summary>
    /// Updates the normalisation gain γ^l of a normalised layer. The default is plain gradient descent at the
    /// bias rate, so optimisers that only know dense layers (K-FAC) still train γ.
    /// </summary>
    void UpdateScale(DenseLayer<T> layer, ReadOnlySpan<T> scaleGradient, in UpdateContext context)
    {
        Span<T> gamma = layer.Scale;
        TensorPrimitives.MultiplyAdd(scaleGradient, T.CreateChecked(-context.BiasLearningRate), gamma, gamma);
    }
}
