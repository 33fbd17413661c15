using System.Numerics;
using Gradscope.Model.Layers;
using Gradscope.Observation;

namespace Gradscope.Probes.Time;

/// <summary>
/// The per-step gain ‖∂C/∂h_{t−1}‖/‖∂C/∂h_t‖, recorded at t = 2…τ. With the output at τ alone and a plain RNN or
/// LSTM it is <see cref="TimeWeightFactor{T}"/> × <see cref="TimeActivationFactor{T}"/> exactly; a GRU adds its
/// direct path z ⊙ ∂C/∂h_t, and outputs at every step add their own gradient.
/// </summary>
internal sealed class TimeGain<T>(TimeNorms<T> norms) : TimeProbe<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public override string Quantity => Record.Quantity.TimeGain;

    public override void MeasureStep(ProbeContext<T> context, in LayerView<T> view, int t)
    {
        if (view.Layer is RecurrentLayer<T>) norms.MeasureHidden(context, view, t);
    }

    public override void Measure(ProbeContext<T> context, in LayerView<T> view)
    {
        if (view.Layer is not RecurrentLayer<T> layer) return;
        var h = norms.Hidden;
        for (int t = 2; t <= layer.TimeSteps; t++) context.EmitThroughTime(layer.Index, Quantity, h[t - 1] / h[t], t);
    }
}
