using System.Numerics;
using Gradscope.Model;
using Gradscope.Observation;
using Gradscope.Training;

namespace Gradscope.Probes.Quantities;

/// <summary>
/// ‖∂C/∂b^l‖ of the mini-batch, Nielsen's speed of learning of layer l: from the optimiser's own pass over the
/// gradient when it offers it (as ‖∂C/∂W^l‖ is), else measured here.
/// </summary>
internal sealed class BiasGradNorm<T>(IModelAccess<T> model) : Probe<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    // Where each layer's bias sits in the optimiser's norms (its parameter index); −1 for a layer without one.
    private readonly int[] _bias = [-1, .. Enumerable.Range(1, model.Depth).Select(l => model.Find(l, ParameterRole.Bias)?.Index ?? -1)];

    public override string Quantity => Record.Quantity.BiasGradNorm;
    public override ProbeTier Tier => ProbeTier.Minimal;
    public override ProbeGroup Group => ProbeGroup.Norms;
    public override Needs Needs => Needs.UpdateNorms(ParameterRole.Bias, UpdateNormKinds.Gradient);

    public override void Measure(ProbeContext<T> context, in LayerView<T> view)
    {
        if (context.UpdateNormsFromOptimizer) return;
        Emit(context, view.Index, Numerics.Reductions.Norm(view.Parameter(ParameterRole.Bias).Gradient));
    }

    /// <summary>The weights' norms come as <paramref name="norms"/>; the bias's are the optimiser's for its own parameter.</summary>
    public override void Updated(ProbeContext<T> context, int layer, in UpdateNorms norms)
    {
        int bias = _bias[layer];
        // A layer without a bias has an empty gradient, whose norm is 0, as measured from the view.
        Emit(context, layer, bias < 0 ? 0 : Math.Sqrt(context.UpdateNormsOf(bias).GradientSquares));
    }

    private void Emit(ProbeContext<T> context, int layer, double norm)
    {
        context.Emit(layer, Quantity, norm);
        context.ReportBackward(layer, norm);
    }
}
