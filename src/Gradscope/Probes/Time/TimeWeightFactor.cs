using System.Numerics;
using Gradscope.Model.Layers;
using Gradscope.Observation;

namespace Gradscope.Probes.Time;

/// <summary>
/// The recurrent-weight factor of the per-step gain, ‖(∂C/∂g_t) W_hh‖/‖∂C/∂g_t‖ (g_t = W_hh h_{t−1} + b_hh + …,
/// δ_t for a plain RNN), recorded at t = 2…τ: as the weight factor of a layer, with W_hh for W^{l+1}.
/// </summary>
internal sealed class TimeWeightFactor<T>(TimeNorms<T> norms) : TimeProbe<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public override string Quantity => Record.Quantity.TimeWeightFactor;

    public override void MeasureStep(ProbeContext<T> context, in LayerView<T> view, int t)
    {
        if (view.Layer is not RecurrentLayer<T> || t == 1) return;
        norms.MeasureGate(context, view, t);
        norms.MeasureBack(context, view, t);
    }

    public override void Measure(ProbeContext<T> context, in LayerView<T> view)
    {
        if (view.Layer is not RecurrentLayer<T> layer) return;
        ReadOnlySpan<double> back = norms.Back, gate = norms.Gate;
        for (int t = 2; t <= layer.TimeSteps; t++) context.EmitThroughTime(layer.Index, Quantity, back[t] / gate[t], t);
    }
}
