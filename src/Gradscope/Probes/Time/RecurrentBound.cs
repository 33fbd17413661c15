using System.Numerics;
using Gradscope.Model.Layers;
using Gradscope.Observation;

namespace Gradscope.Probes.Time;

/// <summary>
/// Pascanu et al.'s bound 1/γ, γ the largest |σ'| of the layer's activation (1 for tanh and ReLU, 4 for the
/// sigmoid's ¼): the value of <see cref="RecurrentSpectralNorm{T}"/> below which a plain RNN's gradient must vanish.
/// Recorded beside λ₁ so a reader compares the two without knowing the activation.
/// </summary>
internal sealed class RecurrentBound<T> : TimeProbe<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public override string Quantity => Record.Quantity.RecurrentBound;

    public override void Measure(ProbeContext<T> context, in LayerView<T> view)
    {
        if (view.Layer is not RecurrentLayer<T> layer) return;
        context.EmitThroughTime(layer.Index, Quantity, 1 / layer.Activation.MaxDerivative);
    }
}
