using System.Numerics;
using Gradscope.Model.Layers;
using Gradscope.Observation;

namespace Gradscope.Probes.Time;

/// <summary>
/// Each gate's mean activation over the batch and every step (LSTM i, f, g, o; GRU r, z, n); the forget gate's is
/// how much of the cell state survives a step. One quantity indexed by the gate, kept one class: the gate is the
/// record name's suffix (<see cref="Record.Quantity.GateMean"/>), and the class is named in the catalogue by the
/// forget gate's record, the one it is best known for.
/// </summary>
internal sealed class GateMean<T>(GateSums<T> sums) : TimeProbe<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public override string Quantity => Record.Quantity.GateMean('f');

    public override void MeasureStep(ProbeContext<T> context, in LayerView<T> view, int t)
    {
        if (view.Layer is RecurrentLayer<T> layer && GateSums<T>.Names(layer.Cell).Length > 0) sums.Add(context, view, layer, t);
    }

    public override void Measure(ProbeContext<T> context, in LayerView<T> view)
    {
        if (view.Layer is not RecurrentLayer<T> layer) return;
        string names = GateSums<T>.Names(layer.Cell);
        for (int g = 0; g < names.Length; g++) context.EmitThroughTime(layer.Index, Record.Quantity.GateMean(names[g]), sums.Sum(g) / sums.Count);
    }
}
