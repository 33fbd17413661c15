using System.Numerics;
using Gradscope.Observation;

namespace Gradscope.Probes.Quantities;

/// <summary>‖δ^l‖, δ^l = ∂C/∂z^l, root-mean-square over the batch; it also watches z^l for non-finite values.</summary>
internal sealed class DeltaNorm<T>(BackwardNorms<T> norms) : Probe<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public override string Quantity => Record.Quantity.DeltaNorm;
    public override ProbeTier Tier => ProbeTier.Minimal;
    public override ProbeGroup Group => ProbeGroup.Norms;
    public override Needs Needs => BackwardNorms<T>.Needs;

    public override void Measure(ProbeContext<T> context, in LayerView<T> view)
    {
        double delta = norms.Delta(context, view);
        context.Emit(view.Index, Quantity, delta);
        context.ReportBackward(view.Index, delta);
        context.ReportForward(view, norms.ZFinite(context, view));
    }
}
