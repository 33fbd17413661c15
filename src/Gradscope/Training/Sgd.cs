using System.Numerics;
using System.Numerics.Tensors;
using Gradscope.Model;
using Gradscope.Numerics;

namespace Gradscope.Training;

/// <summary>
/// Plain gradient descent with Nielsen's weight decay: θ ← (1 − ηλ/n) θ − η ∂C/∂θ (λ = 0 for biases and gains), the
/// step taken as one fused multiply-add per element. It offers <see cref="IMeasuredUpdate{T}"/>: the norms an
/// observer needs come out of that same pass (<see cref="MeasuredStep"/>).
/// </summary>
public sealed class Sgd<T> : IMeasuredUpdate<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public string Name => "sgd";

    public void Update(Parameter<T> parameter, ReadOnlySpan<T> gradient, in UpdateContext context)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        Step(parameter.Values, gradient, context);
    }

    public UpdateNorms UpdateMeasured(Parameter<T> parameter, ReadOnlySpan<T> gradient, in UpdateContext context, UpdateNormKinds kinds)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        return Step(parameter.Values, gradient, context, kinds);
    }

    /// <summary>The step on one tensor, measured as <paramref name="kinds"/> asks (NaN norms when it asks for none).</summary>
    internal static UpdateNorms Step(Span<T> w, ReadOnlySpan<T> gradient, in UpdateContext context, UpdateNormKinds kinds = UpdateNormKinds.None)
    {
        T minusEta = T.CreateChecked(-context.LearningRate);
        bool decays = context.WeightDecay != 0;
        T decay = decays ? T.CreateChecked(1.0 - context.LearningRate * context.WeightDecay) : T.One;
        if (kinds == UpdateNormKinds.None)
        {
            if (decays) TensorPrimitives.Multiply(w, decay, w);
            TensorPrimitives.FusedMultiplyAdd(gradient, minusEta, w, w);
            return UpdateNorms.NotMeasured;
        }
        return decays ? Measured<Yes>(kinds, w, gradient, decay, minusEta) : Measured<No>(kinds, w, gradient, decay, minusEta);
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
