using System.Numerics;
using Gradscope.Model;
using Gradscope.Model.Layers;
using Gradscope.Observation;

namespace Gradscope.Probes.Time;

/// <summary>
/// The LSTM's cell-state gradient ‖∂C/∂c_t‖ for t = 1…τ: the constant error carousel. Along c the gradient is
/// multiplied by the forget gate alone, so this profile stays flat where ‖∂C/∂h_t‖ of a plain RNN decays.
/// </summary>
internal sealed class CellGradNorm<T> : TimeProbe<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public override string Quantity => Record.Quantity.TimeCellGradNorm;

    public override void MeasureStep(ProbeContext<T> context, in LayerView<T> view, int t)
    {
        if (view.Layer is not RecurrentLayer<T> { Cell: RecurrentCellKind.Lstm }) return;
        context.EmitThroughTime(view.Index, Record.Quantity.TimeCellGradNorm, Rms(view.Tensor(LayerTensor.CellGradient), view.BatchSize), t);
    }
}
