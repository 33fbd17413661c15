using System.Numerics;
using Gradscope.Model;
using Gradscope.Observation;
using Gradscope.Training;

namespace Gradscope.Probes.Quantities;

/// <summary>‖∂C/∂W^l‖ of the mini-batch: from the optimiser's own pass over the gradient when it offers it, else measured here.</summary>
internal sealed class WeightGradNorm<T> : Probe<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public override string Quantity => Record.Quantity.WeightGradNorm;
    public override ProbeTier Tier => ProbeTier.Minimal;
    public override ProbeGroup Group => ProbeGroup.Norms;
    public override Needs Needs => Needs.UpdateNorms(ParameterRole.Weight, UpdateNormKinds.Gradient);

    public override void Measure(ProbeContext<T> context, in LayerView<T> view)
    {
        if (context.UpdateNormsFromOptimizer) return;
        Emit(context, view.Index, Numerics.Reductions.Norm(view.Parameter(ParameterRole.Weight).Gradient));
    }

    public override void Updated(ProbeContext<T> context, int layer, in UpdateNorms norms) =>
        Emit(context, layer, Math.Sqrt(norms.GradientSquares));

    private void Emit(ProbeContext<T> context, int layer, double norm)
    {
        context.Emit(layer, Quantity, norm);
        context.ReportBackward(layer, norm);
    }
}
