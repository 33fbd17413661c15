using System.Numerics;
using System.Numerics.Tensors;
using Gradscope.Model;
using Gradscope.Observation;
using Gradscope.Training;

namespace Gradscope.Probes.Quantities;

/// <summary>
/// ‖ΔW^l‖/‖W^l‖ of the step's update: from the optimiser's own pass when it offers it, else from a copy of the
/// weights taken before the update on due steps (NaN when ‖W^l‖ = 0).
/// </summary>
internal sealed class UpdateRatio<T> : Probe<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Parameter<T>[] _weights;
    private readonly T[][] _before;

    public UpdateRatio(IModelAccess<T> model)
    {
        _weights = new Parameter<T>[model.Depth];
        _before = new T[model.Depth][];
        for (int l = 1; l <= model.Depth; l++)
        {
            _weights[l - 1] = model.Find(l, ParameterRole.Weight)!;
            _before[l - 1] = new T[_weights[l - 1].Length];
        }
    }

    public override string Quantity => Record.Quantity.UpdateRatio;
    public override ProbeTier Tier => ProbeTier.Standard;
    public override ProbeGroup Group => ProbeGroup.Update;
    public override Needs Needs => Needs.UpdateNorms(ParameterRole.Weight, UpdateNormKinds.Weights | UpdateNormKinds.Change);

    public override void BeforeStep(ProbeContext<T> context, int layer)
    {
        if (!context.UpdateNormsFromOptimizer) _weights[layer - 1].Values.CopyTo(_before[layer - 1], 0);
    }

    public override void Updated(ProbeContext<T> context, int layer, in UpdateNorms norms)
    {
        double weight = Math.Sqrt(norms.WeightSquares);
        context.Emit(layer, Quantity, weight > 0 ? Math.Sqrt(norms.UpdateSquares) / weight : double.NaN);
    }

    public override void AfterStep(ProbeContext<T> context)
    {
        if (context.UpdateNormsFromOptimizer) return;
        for (int i = 0; i < _weights.Length; i++)
        {
            double before = double.CreateTruncating(TensorPrimitives.Norm<T>(_before[i]));
            double change = double.CreateTruncating(TensorPrimitives.Distance<T>(_weights[i].Values, _before[i]));
            context.Emit(i + 1, Quantity, before > 0 ? change / before : double.NaN);
        }
    }
}
