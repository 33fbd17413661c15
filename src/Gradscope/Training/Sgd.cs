using System.Numerics;
using System.Numerics.Tensors;
using Gradscope.Model;
using Gradscope.Numerics;

namespace Gradscope.Training;

/// <summary>
/// Plain gradient descent with Nielsen's weight decay: W ← (1 − ηλ/n) W − η ∂C/∂W, b ← b − η ∂C/∂b, the step taken
/// as one fused multiply-add per weight.
/// </summary>
public sealed class Sgd<T> : IOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public string Name => "sgd";

    /// <summary>
    /// What <see cref="Update"/> also measures in its single pass over the weights (‖∂C/∂W‖², ‖W‖², ‖ΔW‖²), left in
    /// <see cref="LastNorms"/>; the trainer sets it for observers that want them. Norms not asked for are NaN.
    /// </summary>
    public UpdateNormKinds MeasureNorms { get; set; }

    /// <summary>The norms measured by the last <see cref="Update"/> when <see cref="MeasureNorms"/> is set.</summary>
    public UpdateNorms LastNorms { get; private set; }

    public void Update(DenseLayer<T> layer, ReadOnlySpan<T> weightGradient, ReadOnlySpan<T> biasGradient, in UpdateContext context)
    {
        Step(layer.Weights, weightGradient, context);
        Span<T> b = layer.Biases;
        TensorPrimitives.FusedMultiplyAdd(biasGradient, T.CreateChecked(-context.BiasLearningRate), b, b);
    }

    /// <summary>The weight step of <see cref="Update"/>, measured as <see cref="MeasureNorms"/> asks.</summary>
    internal void Step(Span<T> w, ReadOnlySpan<T> weightGradient, in UpdateContext context)
    {
        T minusEta = T.CreateChecked(-context.LearningRate);
        bool decays = context.WeightDecay != 0;
        T decay = decays ? T.CreateChecked(1.0 - context.LearningRate * context.WeightDecay) : T.One;
        var kinds = MeasureNorms;
        if (kinds == UpdateNormKinds.None)
        {
            if (decays) TensorPrimitives.Multiply(w, decay, w);
            TensorPrimitives.FusedMultiplyAdd(weightGradient, minusEta, w, w);
        }
        else if (decays) LastNorms = Measured<Yes>(kinds, w, weightGradient, decay, minusEta);
        else LastNorms = Measured<No>(kinds, w, weightGradient, decay, minusEta);
    }

    private static UpdateNorms Measured<TDecay>(UpdateNormKinds kinds, Span<T> w, ReadOnlySpan<T> g, T decay, T minusEta)
        where TDecay : struct, IFlag
    {
        var (gradient, weights, change) =
            kinds.HasFlag(UpdateNormKinds.Change) ? MeasuredStep.Run<T, TDecay, Yes, Yes>(w, g, decay, minusEta)
            : kinds.HasFlag(UpdateNormKinds.Weights) ? MeasuredStep.Run<T, TDecay, Yes, No>(w, g, decay, minusEta)
            : MeasuredStep.Run<T, TDecay, No, No>(w, g, decay, minusEta);
        return new UpdateNorms(gradient, weights, change);
    }
}
