using System.Numerics;
using System.Numerics.Tensors;
using Gradscope.Model;

namespace Gradscope.Training;

/// <summary>Plain gradient descent with Nielsen's weight decay: W ← (1 − ηλ/n) W − η ∂C/∂W, b ← b − η ∂C/∂b.</summary>
public sealed class Sgd<T> : IOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public string Name => "sgd";

    public void Update(DenseLayer<T> layer, ReadOnlySpan<T> weightGradient, ReadOnlySpan<T> biasGradient, in UpdateContext context)
    {
        T minusEta = T.CreateChecked(-context.LearningRate);
        Span<T> w = layer.Weights;
        if (context.WeightDecay != 0)
            TensorPrimitives.Multiply(w, T.CreateChecked(1.0 - context.LearningRate * context.WeightDecay), w);
        TensorPrimitives.MultiplyAdd(weightGradient, minusEta, w, w);
        Span<T> b = layer.Biases;
        TensorPrimitives.MultiplyAdd(biasGradient, T.CreateChecked(-context.BiasLearningRate), b, b);
    }
}
