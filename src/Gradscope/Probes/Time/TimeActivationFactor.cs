using System.Numerics;
using Gradscope.Model.Layers;
using Gradscope.Observation;

namespace Gradscope.Probes.Time;

/// <summary>
/// The activation factor of the per-step gain, ‖∂C/∂g_t‖/‖∂C/∂h_t‖, recorded at t = 2…τ: how much of ∂C/∂h_t the
/// cell's gates pass on to their pre-activations (σ'(z_t) for a plain RNN).
/// </summary>
internal sealed class TimeActivationFactor<T>(TimeNorms<T> norms) : TimeProbe<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public override string Quantity => Record.Quantity.TimeActivationFactor;

    public override void MeasureStep(ProbeContext<T> context, in LayerView<T> view, int t)
    {
        if (view.Layer is not RecurrentLayer<T> || t == 1) return;
        norms.MeasureGate(context, view, t);
        norms.MeasureHidden(context, view, t);
    }

    public override void Measure(ProbeContext<T> context, in LayerView<T> view)
    {
        if (view.Layer is not RecurrentLayer<T> layer) return;
        ReadOnlySpan<double> gate = norms.Gate, h = norms.Hidden;
        for (int t = 2; t <= layer.TimeSteps; t++) context.EmitThroughTime(layer.Index, Quantity, gate[t] / h[t], t);
    }
}
