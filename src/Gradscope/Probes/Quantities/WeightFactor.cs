using System.Numerics;
using Gradscope.Observation;

namespace Gradscope.Probes.Quantities;

/// <summary>The weight factor of layer l &lt; L: ‖(W^{l+1})ᵀδ^{l+1}‖/‖δ^{l+1}‖ = ‖∂C/∂a^l‖/‖δ^{l+1}‖.</summary>
internal sealed class WeightFactor<T>(BackwardNorms<T> norms) : Probe<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public override string Quantity => Record.Quantity.WeightFactor;
    public override ProbeTier Tier => ProbeTier.Minimal;
    public override ProbeGroup Group => ProbeGroup.Norms;
    public override Needs Needs => BackwardNorms<T>.Needs;

    public override void Measure(ProbeContext<T> context, in LayerView<T> view)
    {
        if (view.IsOutput) return;
        context.Emit(view.Index, Quantity, norms.ActivationGradient(context, view) / norms.DeltaAbove(view));
    }
}
