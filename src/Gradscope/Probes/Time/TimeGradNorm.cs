using System.Numerics;
using Gradscope.Model.Layers;
using Gradscope.Observation;

namespace Gradscope.Probes.Time;

/// <summary>
/// The gradient through time: ‖∂C/∂h_t‖ for t = 1…τ (root-mean-square over the batch), and its ratio first ÷ last
/// step ‖∂C/∂h_1‖/‖∂C/∂h_τ‖ — the recurrent form of the first ÷ last layer speed ratio.
/// </summary>
internal sealed class TimeGradNorm<T>(int steps) : TimeProbe<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly double[] _norms = new double[steps + 1];

    /// <summary>‖∂C/∂h_t‖ of the step being measured (index t), for the gain.</summary>
    public ReadOnlySpan<double> Norms => _norms;

    public override void Measure(TimeRecords records, in LayerView<T> view, int t) =>
        _norms[t] = Rms(view.ActivationGradient, view.BatchSize);

    public override void Finish(TimeRecords records, RecurrentLayer<T> layer, in LayerView<T> view)
    {
        for (int t = 1; t <= layer.TimeSteps; t++) records.Emit(layer.Index, Record.Quantity.TimeGradNorm, t, _norms[t]);
        records.Emit(layer.Index, Record.Quantity.TimeGradRatio, _norms[1] / _norms[layer.TimeSteps]);
    }
}
