using System.Numerics;
using Gradscope.Observation;

namespace Gradscope.Probes.Quantities;

/// <summary>The backward gain of layer l &lt; L: ‖δ^l‖/‖δ^{l+1}‖ (weight factor × activation factor).</summary>
internal sealed class Gain<T>(BackwardNorms<T> norms) : Probe<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public override string Quantity => Record.Quantity.Gain;
    public override ProbeTier Tier => ProbeTier.Minimal;
    public override ProbeGroup Group => ProbeGroup.Norms;
    public override Needs Needs => BackwardNorms<T>.Needs;

    public override void Measure(ProbeContext<T> context, in LayerView<T> view)
    {
        if (view.IsOutput) return;
        context.Emit(view.Index, Quantity, norms.Delta(context, view) / norms.DeltaAbove(view));
    }
}
