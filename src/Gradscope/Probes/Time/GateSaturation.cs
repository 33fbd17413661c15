using System.Numerics;
using Gradscope.Model.Layers;
using Gradscope.Observation;

namespace Gradscope.Probes.Time;

/// <summary>
/// Each gate's saturated fraction over the batch and every step (<see cref="GateSums{T}"/> says when a gate counts
/// as saturated). One quantity indexed by the gate, kept one class as <see cref="GateMean{T}"/> is, and named in
/// the catalogue by the forget gate's record.
/// </summary>
internal sealed class GateSaturation<T>(GateSums<T> sums) : TimeProbe<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public override string Quantity => Record.Quantity.GateSaturation('f');

    public override void MeasureStep(ProbeContext<T> context, in LayerView<T> view, int t)
    {
        if (view.Layer is RecurrentLayer<T> layer && GateSums<T>.Names(layer.Cell).Length > 0) sums.Add(context, view, layer, t);
    }

    public override void Measure(ProbeContext<T> context, in LayerView<T> view)
    {
        if (view.Layer is not RecurrentLayer<T> layer) return;
        string names = GateSums<T>.Names(layer.Cell);
        for (int g = 0; g < names.Length; g++)
            context.EmitThroughTime(layer.Index, Record.Quantity.GateSaturation(names[g]), sums.Saturated(g) / (double)sums.Count);
    }
}
