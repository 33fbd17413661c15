using System.Numerics;
using Gradscope.Model;
using Gradscope.Observation;
using Gradscope.Training;

namespace Gradscope.Probes.Quantities;

/// <summary>‖W^l‖ (Frobenius), before the update: from the optimiser's own pass when it offers it, else measured here.</summary>
internal sealed class WeightNorm<T> : Probe<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public override string Quantity => Record.Quantity.WeightNorm;
    public override ProbeTier Tier => ProbeTier.Standard;
    public override ProbeGroup Group => ProbeGroup.Statistics;
    public override Needs Needs => Needs.UpdateNorms(ParameterRole.Weight, UpdateNormKinds.Weights);

    public override void Measure(ProbeContext<T> context, in LayerView<T> view)
    {
        if (!context.UpdateNormsFromOptimizer)
            context.Emit(view.Index, Quantity, Numerics.Reductions.Norm(view.Parameter(ParameterRole.Weight).Values));
    }

    public override void Updated(ProbeContext<T> context, int layer, in UpdateNorms norms) =>
        context.Emit(layer, Quantity, Math.Sqrt(norms.WeightSquares));
}
