using System.Numerics;
using Gradscope.Observation;

namespace Gradscope.Probes.Quantities;

/// <summary>The activation factor of layer l &lt; L: ‖δ^l‖/‖∂C/∂a^l‖, what σ'(z^l) does to the back-propagated error.</summary>
internal sealed class ActivationFactor<T>(BackwardNorms<T> norms) : Probe<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public override string Quantity => Record.Quantity.ActivationFactor;
    public override ProbeTier Tier => ProbeTier.Minimal;
    public override ProbeGroup Group => ProbeGroup.Norms;
    public override Needs Needs => BackwardNorms<T>.Needs;

    public override void Measure(ProbeContext<T> context, in LayerView<T> view)
    {
        if (view.IsOutput) return;
        context.Emit(view.Index, Quantity, norms.Delta(context, view) / norms.ActivationGradient(context, view));
    }
}
