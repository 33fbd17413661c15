using System.Numerics;
using Gradscope.Model.Layers;
using Gradscope.Observation;

namespace Gradscope.Probes.Time;

/// <summary>The gradient through time: ‖∂C/∂h_t‖ for t = 1…τ, root-mean-square over the batch.</summary>
internal sealed class TimeGradNorm<T>(TimeNorms<T> norms) : TimeProbe<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public override string Quantity => Record.Quantity.TimeGradNorm;

    public override void MeasureStep(ProbeContext<T> context, in LayerView<T> view, int t)
    {
        if (view.Layer is RecurrentLayer<T>) norms.MeasureHidden(context, view, t);
    }

    public override void Measure(ProbeContext<T> context, in LayerView<T> view)
    {
        if (view.Layer is not RecurrentLayer<T> layer) return;
        var h = norms.Hidden;
        for (int t = 1; t <= layer.TimeSteps; t++) context.EmitThroughTime(layer.Index, Quantity, h[t], t);
    }
}
