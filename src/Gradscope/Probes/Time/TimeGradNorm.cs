using System.Numerics;
using Gradscope.Model.Layers;
using Gradscope.Observation;

namespace Gradscope.Probes.Time;

/// <summary>
/// The gradient through time: ‖∂C/∂h_t‖ for t = 1…τ (root-mean-square over the batch), and its ratio first ÷ last
/// step ‖∂C/∂h_1‖/‖∂C/∂h_τ‖ — the recurrent form of the first ÷ last layer speed ratio.
/// </summary>
internal sealed class TimeGradNorm<T> : TimeProbe<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private double[] _norms = [];

    public override string Quantity => Record.Quantity.TimeGradNorm;

    /// <summary>‖∂C/∂h_t‖ of the layer being measured (index t), for the gain.</summary>
    public ReadOnlySpan<double> Norms => _norms;

    public override void MeasureStep(ProbeContext<T> context, in LayerView<T> view, int t)
    {
        if (view.Layer is not RecurrentLayer<T> layer) return;
        if (_norms.Length <= layer.TimeSteps) _norms = new double[layer.TimeSteps + 1];
        _norms[t] = Rms(view.ActivationGradient, view.BatchSize);
    }

    public override void Measure(ProbeContext<T> context, in LayerView<T> view)
    {
        if (view.Layer is not RecurrentLayer<T> layer) return;
        for (int t = 1; t <= layer.TimeSteps; t++) context.EmitThroughTime(layer.Index, Record.Quantity.TimeGradNorm, _norms[t], t);
        context.EmitThroughTime(layer.Index, Record.Quantity.TimeGradRatio, _norms[1] / _norms[layer.TimeSteps]);
    }
}
