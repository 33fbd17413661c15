using System.Numerics;
using Gradscope.Model.Layers;
using Gradscope.Observation;

namespace Gradscope.Probes.Time;

/// <summary>‖∂C/∂h_1‖/‖∂C/∂h_τ‖, first ÷ last step: the recurrent form of the first ÷ last layer speed ratio.</summary>
internal sealed class TimeGradRatio<T>(TimeNorms<T> norms) : TimeProbe<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public override string Quantity => Record.Quantity.TimeGradRatio;

    public override void MeasureStep(ProbeContext<T> context, in LayerView<T> view, int t)
    {
        if (view.Layer is RecurrentLayer<T>) norms.MeasureHidden(context, view, t);
    }

    public override void Measure(ProbeContext<T> context, in LayerView<T> view)
    {
        if (view.Layer is not RecurrentLayer<T> layer) return;
        var h = norms.Hidden;
        context.EmitThroughTime(layer.Index, Quantity, h[1] / h[layer.TimeSteps]);
    }
}
