using System.Numerics;
using Gradscope.Observation;

namespace Gradscope.Probes.Quantities;

/// <summary>
/// The mean cost of the mini-batch (layer 0), from a^L and the targets on the output layer's view. It takes a
/// logarithm per output, so it is a statistic, not part of the cheap minimal tier.
/// </summary>
internal sealed class BatchCost<T> : Probe<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private T[] _scratch = [];

    public override string Quantity => Record.Quantity.Cost;
    public override ProbeTier Tier => ProbeTier.Standard;
    public override ProbeGroup Group => ProbeGroup.Statistics;

    public override void Measure(ProbeContext<T> context, in LayerView<T> view)
    {
        if (!view.IsOutput) return;
        if (_scratch.Length < 2 * view.A.Length) _scratch = new T[2 * view.A.Length];
        // Rows of one example each: a read-out at every step shows a row per step, and an example's cost sums them.
        context.Emit(0, Quantity, context.Model.Cost.BatchValue(view.A, view.Target, view.FanOut * view.Layer.RowsPerExample, _scratch));
    }
}
